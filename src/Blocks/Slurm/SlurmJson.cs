using System.Text.Json;
using System.Text.Json.Serialization;

namespace Scanflow.Blocks;

/// <summary>The JSON of the files the coordinator and its array tasks exchange: snake_case keys and enum names
/// (<c>j_mode: "callen_welton"</c>, <c>failed_stage: "load"</c>), NaN allowed in doubles; doubles are written in their
/// shortest round-trip form, so a setting read back is the same double. Missing required keys fail the read.</summary>
internal static class SlurmJson
{
    /// <summary>For a plan: indented, so a person reading a job's work directory can follow it.</summary>
    public static JsonSerializerOptions Plan { get; } = Create(indented: true);

    /// <summary>For a result line: one line per value.</summary>
    public static JsonSerializerOptions Line { get; } = Create(indented: false);

    private static JsonSerializerOptions Create(bool indented)
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DictionaryKeyPolicy = JsonNamingPolicy.SnakeCaseLower,
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
            WriteIndented = indented,
            // Paths are stored verbatim: escaping only what JSON requires keeps non-ASCII names readable in the file.
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}

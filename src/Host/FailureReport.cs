using System.Text.Json;
using System.Text.Json.Serialization;
using Scanflow.Engine.Formats;

namespace Scanflow.Host;

/// <summary><c>failures.json</c>: every scan or file that failed, with the stage and a reason a person can act on.</summary>
internal sealed record FailureReport(DateTimeOffset CreatedUtc, int Failed, IReadOnlyList<FailureEntry> Failures)
{
    public const string FileName = "failures.json";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,

        // Reasons quote HDF5 paths and attribute names; keep them readable in an editor.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Written under a temporary name and renamed, like every product.</summary>
    public void Save(string directory)
    {
        var path = Path.Combine(directory, FileName);
        File.WriteAllText(path + ".tmp", JsonSerializer.Serialize(this, Json));
        File.Move(path + ".tmp", path, overwrite: true);
    }

    /// <summary>Saves the report; on failure (a full or read-only disk) removes what it left and says why, else null.</summary>
    public string? TrySave(string directory)
    {
        try
        {
            Save(directory);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try
            {
                File.Delete(Path.Combine(directory, FileName + ".tmp"));
            }
            catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException)
            {
                // Nothing more to do: the reason below is what the user needs.
            }

            return OutputDisk.IsFull(e) ? OutputDisk.Full(directory) : e.Message;
        }
    }

    public static FailureReport Load(string directory) =>
        JsonSerializer.Deserialize<FailureReport>(File.ReadAllText(Path.Combine(directory, FileName)), Json)!;
}

using Scanflow.Blocks;

namespace Scanflow.Host;

/// <summary>Parses <c>--parallelism stage=N</c> and <c>--capacity stage=N</c> overrides into pipeline options.</summary>
internal static class StageSettings
{
    private static readonly string[] Stages = ["load", "calibrate", "atmosphere", "prepare", "write"];

    public static PipelineOptions Apply(PipelineOptions options, IEnumerable<string> parallelism, IEnumerable<string> capacity)
    {
        foreach (var (stage, value) in parallelism.Select(t => Parse(t, "--parallelism")))
        {
            options = With(options, stage, s => s with { MaxDegreeOfParallelism = value });
        }

        foreach (var (stage, value) in capacity.Select(t => Parse(t, "--capacity")))
        {
            options = With(options, stage, s => s with { BoundedCapacity = value });
        }

        return options;
    }

    private static (string Stage, int Value) Parse(string term, string option)
    {
        var parts = term.Split('=', 2);
        if (parts.Length == 2 && Stages.Contains(parts[0].Trim().ToLowerInvariant())
            && int.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out var value) && value >= 1)
        {
            return (parts[0].Trim().ToLowerInvariant(), value);
        }

        throw new ArgumentException($"{option} '{term}' is not valid; expected STAGE=N with STAGE one of {string.Join(", ", Stages)} and N ≥ 1");
    }

    private static PipelineOptions With(PipelineOptions o, string stage, Func<StageOptions, StageOptions> change) => stage switch
    {
        "load" => o with { Load = change(o.Load) },
        "calibrate" => o with { Calibrate = change(o.Calibrate) },
        "atmosphere" => o with { Atmosphere = change(o.Atmosphere) },
        "prepare" => o with { Prepare = change(o.Prepare) },
        _ => o with { Write = change(o.Write) },
    };
}

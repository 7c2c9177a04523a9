using Scanflow.Blocks;

namespace Scanflow.Host;

/// <summary>Parses <c>--parallelism stage=N</c> and <c>--capacity stage=N</c> overrides into pipeline options.</summary>
internal static class StageSettings
{
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

    private static (PipelineStage Stage, int Value) Parse(string term, string option)
    {
        var parts = term.Split('=', 2);
        if (parts.Length == 2 && PipelineStages.TryParse(parts[0], out var stage)
            && int.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out var value) && value >= 1)
        {
            return (stage, value);
        }

        throw new ArgumentException(
            $"{option} '{term}' is not valid; expected STAGE=N with STAGE one of {string.Join(", ", PipelineStages.Configurable.Select(PipelineStages.Name))} and N ≥ 1");
    }

    private static PipelineOptions With(PipelineOptions o, PipelineStage stage, Func<StageOptions, StageOptions> change) => o.WithStage(stage, change(o.Stage(stage)));
}

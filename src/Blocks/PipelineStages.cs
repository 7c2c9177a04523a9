namespace Scanflow.Blocks;

/// <summary>The one list of stages: their names (metric labels, spans, the ledger, options) and default settings.</summary>
public static class PipelineStages
{
    private static readonly string[] Names = ["load", "calibrate", "atmosphere", "prepare", "write", "record"];

    /// <summary>Every stage, in flow order.</summary>
    public static IReadOnlyList<PipelineStage> All { get; } = Enum.GetValues<PipelineStage>();

    /// <summary>The stages whose parallelism and queue bound are settings (Record is fixed: one recorder).</summary>
    public static IReadOnlyList<PipelineStage> Configurable { get; } = [.. All.Where(s => s != PipelineStage.Record)];

    /// <summary>The lower-case name: <c>load</c> … <c>record</c>.</summary>
    public static string Name(PipelineStage stage) => Names[(int)stage];

    /// <summary>A configurable stage by its name, in any case.</summary>
    public static bool TryParse(string name, out PipelineStage stage)
    {
        foreach (var candidate in Configurable)
        {
            if (string.Equals(Name(candidate), name.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                stage = candidate;
                return true;
            }
        }

        stage = default;
        return false;
    }

    /// <summary>Defaults, with why: one reader keeps the disk sequential and its queue is the prefetch; Prepare (OFF
    /// interpolation and the T_A* kernel) is the CPU-bound stage; one writer keeps a scan's chunks in order, and its
    /// queue of 8 kept it fed after each commit while Load hashed the next scan (measured when Write still committed;
    /// Record does since, docs/performance.md); Record, one recorder, commits each product (fsync + SHA-256) and reports it.</summary>
    public static StageOptions Default(PipelineStage stage) => stage switch
    {
        PipelineStage.Prepare => new(Environment.ProcessorCount, 2 * Environment.ProcessorCount),
        PipelineStage.Write => new(1, 8),
        PipelineStage.Record => new(1, 16),
        _ => new(1, 2),
    };
}

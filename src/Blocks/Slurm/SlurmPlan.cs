using Scanflow.Engine.Processing;

namespace Scanflow.Blocks;

/// <summary>What one SLURM submission calibrates: the run's settings that shape a product, and its claimed scans cut into
/// shards, one per array task (task N runs <c>Shards[N]</c>). Written by the coordinator on the login node
/// (<see cref="SlurmPlanFile"/>), read by <see cref="ShardWorker"/> on compute nodes, which never open the ledger.</summary>
internal sealed record SlurmPlan
{
    /// <summary>The format version this build writes and reads.</summary>
    public const int CurrentVersion = 1;

    /// <summary>The plan's format version; a worker refuses any other.</summary>
    public int Version { get; init; } = CurrentVersion;

    /// <summary>Where the L1 products are written (<see cref="PipelineOptions.OutputDirectory"/>).</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>The settings that change what a product contains, as the coordinator's run has them: the same values
    /// make the same products as the local executor.</summary>
    public required CalibrationOptions Calibration { get; init; }

    /// <summary><see cref="PipelineOptions.ChunkBytes"/> of the run.</summary>
    public required long ChunkBytes { get; init; }

    /// <summary><see cref="PipelineOptions.MemoryLimitBytes"/> of the run, per task.</summary>
    public required long MemoryLimitBytes { get; init; }

    /// <summary>The scans of each array task, in the order the task calibrates them.</summary>
    public required IReadOnlyList<IReadOnlyList<SlurmPlanScan>> Shards { get; init; }

    /// <summary>The graph's options for a task of this plan: the run's settings, defaults otherwise.</summary>
    public PipelineOptions ToPipelineOptions() => new()
    {
        OutputDirectory = OutputDirectory,
        Calibration = Calibration,
        ChunkBytes = ChunkBytes,
        MemoryLimitBytes = MemoryLimitBytes,
    };
}

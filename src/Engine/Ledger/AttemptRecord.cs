namespace Scanflow.Engine.Ledger;

/// <summary>One attempt at a row: which run, how it ended, how long each stage took, and the inputs it saw.</summary>
public sealed record AttemptRecord(
    long RowId,
    long ScanId,
    string Band,
    int Attempt,
    string RunId,
    ScanStatus Status,
    string? Stage,
    string? Error,
    FailureKind? FailureKind,
    string L1Path,
    string? L1Sha256,
    DateTimeOffset StartedUtc,
    DateTimeOffset? FinishedUtc,
    IReadOnlyDictionary<string, TimeSpan> StageDurations,
    string EngineVersion,
    string ConfigSha256,
    string InputSha256)
{
    /// <summary>The SLURM job array that ran the attempt; null when it ran in the coordinator's process.</summary>
    public string? SlurmJobId { get; init; }

    /// <summary>The array task (shard) that ran the attempt.</summary>
    public int? SlurmTask { get; init; }

    /// <summary>The node the task ran on, as the task reported it with the scan's result.</summary>
    public string? SlurmNode { get; init; }

    /// <summary>The task's elapsed time when the scan's result was written, in seconds.</summary>
    public double? SlurmElapsedSeconds { get; init; }

    /// <summary>The task's CPU time (user + system) when the scan's result was written, in seconds.</summary>
    public double? SlurmCpuSeconds { get; init; }

    /// <summary>The task's peak resident memory (VmHWM) when the scan's result was written, in bytes.</summary>
    public long? SlurmMaxRssBytes { get; init; }
}

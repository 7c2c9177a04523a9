using Scanflow.Engine.Formats;
using Scanflow.Engine.Ledger;
using Scanflow.Engine.Planning;
using Scanflow.Engine.Quality;

namespace Scanflow.Blocks;

/// <summary>One scan's result, reported exactly once per scan of a run: the product, or the stage and reason of its
/// failure (and whether retrying may help), with per-stage busy time.</summary>
public sealed record ScanOutcome
{
    /// <summary>The science scan and the calibration scan it was paired with.</summary>
    public required PlannedScan Scan { get; init; }

    /// <summary>How the scan ended.</summary>
    public required ScanOutcomeStatus Status { get; init; }

    /// <summary>The stage that failed; null for a decision made outside the graph (the ledger, a stop).</summary>
    public PipelineStage? FailedStage { get; init; }

    /// <summary>Why it failed, was skipped or cancelled.</summary>
    public string? Error { get; init; }

    /// <summary>The product; set only when the scan succeeded.</summary>
    public L1Product? Product { get; init; }

    /// <summary>The scan's other products recorded with it (its QA metrics), each already renamed into place; empty
    /// unless it succeeded. Its plots are drawn afterwards and reported through <see cref="PipelineOptions.PlotsDrawn"/>.</summary>
    public IReadOnlyList<ProductFile> QualityProducts { get; init; } = [];

    /// <summary>What went wrong with the QA products of a scan that succeeded (its plot data could not be written, so
    /// it gets no plots).</summary>
    public IReadOnlyList<string> QualityWarnings { get; init; } = [];

    /// <summary>The plot data published beside the product (<see cref="PlotDataFile"/>): the plots it owes.</summary>
    public string? PlotDataPath { get; init; }

    /// <summary>What the plots are drawn from, kept in memory so a run draws them without reading the file back.</summary>
    internal ScanQuality? Quality { get; init; }

    /// <summary>SHA-256 of the raw science file, when it was computed.</summary>
    public string? InputSha256 { get; init; }

    /// <summary>Bytes of ON counts read.</summary>
    public long BytesRead { get; init; }

    /// <summary>Busy time per stage, summed over the scan's chunks; empty for a scan the graph never ran.</summary>
    public IReadOnlyDictionary<PipelineStage, TimeSpan> StageDurations { get; init; } = new Dictionary<PipelineStage, TimeSpan>();

    /// <summary>When work on the scan (or the decision about it) started.</summary>
    public required DateTimeOffset Started { get; init; }

    /// <summary>When the scan reached its outcome.</summary>
    public required DateTimeOffset Finished { get; init; }

    /// <summary>True when the failure may go away on its own (an I/O error), so a retry is worth it.</summary>
    public bool TransientFailure { get; init; }

    /// <summary>True when the output disk was full: the scan's product, or its record in the ledger, could not be
    /// written for lack of space. A condition of the run rather than of the scan: the runner stops or pauses on it.</summary>
    public bool OutputDiskFull { get; init; }

    /// <summary>Where the scan ran and what its array task had used when it finished, when a SLURM array task calibrated
    /// it; null when it ran in this process.</summary>
    public SlurmTaskUsage? Slurm { get; init; }

    /// <summary>An outcome decided without calibrating: skipped, refused by the ledger, not started.</summary>
    public static ScanOutcome Decided(PlannedScan scan, ScanOutcomeStatus status, string reason, DateTimeOffset started, DateTimeOffset finished) =>
        new() { Scan = scan, Status = status, Error = reason, Started = started, Finished = finished };
}

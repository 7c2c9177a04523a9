using Scanflow.Engine.Formats;
using Scanflow.Engine.Planning;

namespace Scanflow.Blocks;

/// <summary>One scan's result, reported exactly once per scan of a run: the product, or the stage and reason of its
/// failure (and whether retrying may help), with per-stage busy time.</summary>
public sealed record ScanOutcome
{
    public required PlannedScan Scan { get; init; }

    public required ScanOutcomeStatus Status { get; init; }

    /// <summary>The stage that failed; null for a decision made outside the graph (the ledger, a stop).</summary>
    public PipelineStage? FailedStage { get; init; }

    /// <summary>Why it failed, was skipped or cancelled.</summary>
    public string? Error { get; init; }

    public L1Product? Product { get; init; }

    public string? InputSha256 { get; init; }

    /// <summary>Bytes of ON counts read.</summary>
    public long BytesRead { get; init; }

    public IReadOnlyDictionary<PipelineStage, TimeSpan> StageDurations { get; init; } = new Dictionary<PipelineStage, TimeSpan>();

    public required DateTimeOffset Started { get; init; }

    public required DateTimeOffset Finished { get; init; }

    /// <summary>True when the failure may go away on its own (an I/O error), so a retry is worth it.</summary>
    public bool TransientFailure { get; init; }

    /// <summary>An outcome decided without calibrating: skipped, refused by the ledger, not started.</summary>
    public static ScanOutcome Decided(PlannedScan scan, ScanOutcomeStatus status, string reason, DateTimeOffset started, DateTimeOffset finished) =>
        new() { Scan = scan, Status = status, Error = reason, Started = started, Finished = finished };
}

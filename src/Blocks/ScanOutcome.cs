using Scanflow.Engine.Formats;
using Scanflow.Engine.Planning;

namespace Scanflow.Blocks;

/// <summary>One scan's result, emitted exactly once per submitted scan: the product, or the stage and reason of its
/// failure (and whether retrying may help), with per-stage busy time.</summary>
public sealed record ScanOutcome(
    PlannedScan Scan,
    ScanOutcomeStatus Status,
    PipelineStage? FailedStage,
    string? Error,
    L1Product? Product,
    string? InputSha256,
    long BytesRead,
    IReadOnlyDictionary<PipelineStage, TimeSpan> StageDurations,
    DateTimeOffset Started,
    DateTimeOffset Finished,
    bool TransientFailure = false);

using Scanflow.Blocks;

namespace Scanflow.Perf;

/// <summary>One timed run of one variant: wall time, and for graph runs the summed per-stage busy time of all scans
/// and the mean queue depth and busy workers per stage, sampled every few milliseconds.</summary>
internal sealed record EndToEndMeasurement(
    string Variant,
    TimeSpan Elapsed,
    long OnBytes,
    IReadOnlyDictionary<PipelineStage, TimeSpan> StageBusy,
    IReadOnlyDictionary<PipelineStage, (double Queued, double Busy)> MeanActivity);

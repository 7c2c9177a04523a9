using Scanflow.Engine.Processing;

namespace Scanflow.Engine.Planning;

/// <summary>How a store is planned: the pairing age limit (calibration.md §7.6) and the <c>--select</c> filter.</summary>
public sealed record PlanningOptions
{
    /// <summary>The farthest a calibration scan may start from the science scan it calibrates, before or after.</summary>
    public TimeSpan MaxCalibrationAge { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>With <see cref="GainInterpolation.Linear"/>, each science scan is also given the later calibration C₂
    /// (calibration.md §7.10).</summary>
    public GainInterpolation GainInterpolation { get; init; } = GainInterpolation.None;

    /// <summary>Which science scans to plan; by default all of them.</summary>
    public ScanSelection Selection { get; init; } = new();
}

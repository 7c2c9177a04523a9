using Scanflow.Engine.Formats;

namespace Scanflow.Engine.Planning;

/// <summary>A science scan and the calibration scan chosen for it (calibration.md §7.6).</summary>
public sealed record PlannedScan(RawScanHeader Science, RawScanHeader Calibration)
{
    /// <summary>Science start − calibration start; negative when the calibration came after the science scan.</summary>
    public TimeSpan CalibrationOffset => TimeSpan.FromDays(Science.StartMjd - Calibration.StartMjd);
}

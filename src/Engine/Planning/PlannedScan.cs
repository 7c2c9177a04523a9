using Scanflow.Engine.Formats;

namespace Scanflow.Engine.Planning;

/// <summary>A science scan and the calibration scan chosen for it (calibration.md §7.6); with linear gain interpolation
/// (§7.10) also the later calibration C₂, or why there is none.</summary>
public sealed record PlannedScan(RawScanHeader Science, RawScanHeader Calibration)
{
    /// <summary>C₂ of §7.10: the earliest calibration of the setup that starts after the scan's last ON dump, within the
    /// maximum calibration age; null without gain interpolation or when there is none.</summary>
    public RawScanHeader? LaterCalibration { get; init; }

    /// <summary>Why linear gain interpolation was asked for and cannot be applied (the L1 <c>gain_interpolation_note</c>);
    /// null when it applies or was not asked for.</summary>
    public string? GainInterpolationNote { get; init; }

    /// <summary>Science start − calibration start; negative when the calibration came after the science scan.</summary>
    public TimeSpan CalibrationOffset => TimeSpan.FromDays(Science.StartMjd - Calibration.StartMjd);

    /// <summary>The calibrations the scan is calibrated with, in the order products and the ledger list them: C₁, then C₂.</summary>
    public IReadOnlyList<RawScanHeader> Calibrations => LaterCalibration is { } later ? [Calibration, later] : [Calibration];
}

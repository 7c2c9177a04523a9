namespace Scanflow.Engine.Processing;

/// <summary>How the receiver gain between calibrations is taken (calibration.md §7.10): from the one calibration paired
/// by §7.6, or interpolated linearly in time between the calibrations before and after the science scan.</summary>
public enum GainInterpolation
{
    /// <summary>One calibration per science scan (§7.6); the default.</summary>
    None,

    /// <summary>T_cal and C_hot − C_sky interpolated in time between C₁ and C₂ (§7.10).</summary>
    Linear,
}

namespace Scanflow.Engine.Processing;

/// <summary>What linear gain interpolation (calibration.md §7.10) has for a science scan besides C₁: C₂'s products, or
/// none and the plan's note why.</summary>
/// <param name="Products">C₂, solved and fitted; null when there is none.</param>
/// <param name="Note">Why there is no C₂ (the L1 <c>gain_interpolation_note</c>); null when there is one.</param>
internal sealed record SecondCalibration(CalibrationProducts? Products, string? Note);

namespace Scanflow.Engine.Science;

/// <summary>
/// The OFF reference of one ON dump: C_OFF = WeightBefore·ref[Before] + WeightAfter·ref[After], indices into
/// <see cref="OffReference.References"/> (calibration.md §7.2). Extrapolated ⇒ dump_flag bit 0.
/// </summary>
internal readonly record struct OffInterpolation(int Before, int After, float WeightBefore, float WeightAfter, bool Extrapolated);

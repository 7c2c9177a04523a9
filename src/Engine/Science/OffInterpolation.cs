namespace Scanflow.Engine.Science;

/// <summary>
/// The OFF reference of one ON dump: C_OFF = WeightBefore·ref[Before] + WeightAfter·ref[After], indices into
/// <see cref="OffReference.References"/> (calibration.md §7.2). Extrapolated ⇒ dump_flag bit 0. The weights are double:
/// C_ON − C_OFF cancels most of the counts' digits (§7.1), where a float weight's rounding would show in T_A*.
/// </summary>
internal readonly record struct OffInterpolation(int Before, int After, double WeightBefore, double WeightAfter, bool Extrapolated);

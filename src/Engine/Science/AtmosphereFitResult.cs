namespace Scanflow.Engine.Science;

/// <summary>
/// Outcome of the PWV fit of one calibration (calibration.md §2.5, §7.5). <see cref="PixelPwvMm"/> is NaN for
/// bad pixels and pixels without final bins; <see cref="FailureReason"/> is null when the status is Ok.
/// </summary>
public sealed record AtmosphereFitResult(
    double PwvMm,
    double PwvErrorMm,
    double[] PixelPwvMm,
    double ResidualRmsK,
    AtmosphereFitStatus Status,
    int BinsUsed,
    string? FailureReason);

using Scanflow.Engine.Formats;

namespace Scanflow.Engine.Processing;

/// <summary>Whether a calibration scan can calibrate a science scan (calibration.md §7.6): same band, LO within 1 kHz and
/// signal sideband, and identical channel and pixel axes. The one place this rule lives.</summary>
internal static class CalibrationMatch
{
    public const double LoToleranceHz = 1e3;

    public static bool SameSetup(RawScanHeader calibration, RawScanHeader science) =>
        calibration.Band == science.Band
        && calibration.Sideband == science.Sideband
        && Math.Abs(calibration.LoFrequencyHz - science.LoFrequencyHz) <= LoToleranceHz;

    /// <summary>Throws an <see cref="ScanFormatProblem.AxisMismatch"/> error naming both files when the axes differ.</summary>
    public static void RequireSameAxes(CalibrationScanAxes calibration, ScienceScanReader science)
    {
        var path = science.Header.FilePath;
        var against = $"calibration scan {calibration.Header.ScanId} ({calibration.Header.FilePath})";
        if (!SameSetup(calibration.Header, science.Header))
        {
            throw new ScanFormatException(
                ScanFormatProblem.AxisMismatch, path, "/",
                $"band, LO or sideband of {science.Header.Describe()} does not match {against}, {calibration.Header.Describe()}");
        }

        if (calibration.IntermediateFrequencyHz.Length != science.IntermediateFrequencyHz.Length
            || !calibration.IntermediateFrequencyHz.AsSpan().SequenceEqual(science.IntermediateFrequencyHz))
        {
            throw new ScanFormatException(
                ScanFormatProblem.AxisMismatch, path, "/" + RawFormat.IntermediateFrequencyDataset,
                $"has {science.IntermediateFrequencyHz.Length} channels that differ from the {calibration.IntermediateFrequencyHz.Length} of {against}; expected identical channel frequencies");
        }

        if (!calibration.PixelIds.AsSpan().SequenceEqual(science.PixelIds))
        {
            throw new ScanFormatException(
                ScanFormatProblem.AxisMismatch, path, "/" + RawFormat.PixelIdDataset,
                $"pixels [{string.Join(", ", science.PixelIds)}] differ from [{string.Join(", ", calibration.PixelIds)}] of {against}; expected the same pixels in the same order");
        }
    }
}

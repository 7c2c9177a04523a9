namespace Scanflow.Engine.Formats;

/// <summary>A calibration scan reduced to what the science needs: loads averaged over their dumps (float64, per pixel and
/// channel, flat <c>p * channels + k</c>), the total sky integration and the mean MJD of the sky dumps (the time of the
/// calibration in gain interpolation, calibration.md §7.10). Needed only until the loads are solved.</summary>
internal sealed record CalibrationScanData(
    RawScanHeader Header,
    double[] IntermediateFrequencyHz,
    int[] PixelIds,
    double[] Hot,
    double[] Cold,
    double[] Sky,
    double SkyIntegrationSeconds,
    double SkyMeanMjd)
{
    /// <summary>The header and axes, without the loads.</summary>
    public CalibrationScanAxes Axes => new(Header, IntermediateFrequencyHz, PixelIds, SkyMeanMjd);
}

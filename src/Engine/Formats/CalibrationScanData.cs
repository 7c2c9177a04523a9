namespace Scanflow.Engine.Formats;

/// <summary>A calibration scan reduced to what the science needs: loads averaged over their dumps (float64, per pixel and
/// channel, flat <c>p * channels + k</c>) and the total sky integration. Needed only until the loads are solved.</summary>
internal sealed record CalibrationScanData(
    RawScanHeader Header,
    double[] IntermediateFrequencyHz,
    int[] PixelIds,
    double[] Hot,
    double[] Cold,
    double[] Sky,
    double SkyIntegrationSeconds)
{
    /// <summary>The header and axes, without the loads.</summary>
    public CalibrationScanAxes Axes => new(Header, IntermediateFrequencyHz, PixelIds);
}

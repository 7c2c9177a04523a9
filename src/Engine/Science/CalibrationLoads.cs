namespace Scanflow.Engine.Science;

/// <summary>
/// The averaged load counts of one calibration scan (calibration.md §0), flat [p·Channels + k], plus the
/// physical load temperatures, the sky elevation and the total sky integration (n_sky_dumps × integration_s).
/// </summary>
internal sealed record CalibrationLoads(
    int Pixels,
    int Channels,
    double[] Hot,
    double[] Cold,
    double[] Sky,
    double HotTemperatureK,
    double ColdTemperatureK,
    double ElevationDeg,
    double SkyIntegrationSeconds);

using Scanflow.Engine.Formats;
using Scanflow.Engine.Model;

namespace Scanflow.Engine.Tests.Planning;

/// <summary>In-memory raw headers for pairing and selection rules, which read nothing but these fields.</summary>
internal static class TestHeaders
{
    internal const double Mjd0 = 61367.0;
    internal const double LfaLoHz = 475e9;

    internal static RawScanHeader Calibration(long id, double minutes, Band band = Band.Lfa, double loHz = LfaLoHz, Sideband sideband = Sideband.Usb) =>
        Scan(id, ScanKind.Calibration, minutes, band, loHz, sideband, "CAL");

    internal static RawScanHeader Science(
        long id, double minutes, Band band = Band.Lfa, double loHz = LfaLoHz, Sideband sideband = Sideband.Usb, string source = "OrionKL") =>
        Scan(id, ScanKind.Science, minutes, band, loHz, sideband, source);

    private static RawScanHeader Scan(long id, ScanKind kind, double minutes, Band band, double loHz, Sideband sideband, string source) => new()
    {
        FilePath = $"/store/scan_{id}.h5",
        ScanId = id,
        Kind = kind,
        Band = band,
        LoFrequencyHz = loHz,
        Sideband = sideband,
        SidebandGainRatio = 1,
        ForwardEfficiency = 0.95,
        AmbientTemperatureK = 270,
        PressureHpa = 550,
        StartMjd = Mjd0 + (minutes / 1440.0),
        Source = source,
        Project = "TEST",
        Pixels = 2,
        Channels = 16,
    };
}

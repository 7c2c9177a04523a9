namespace Scanflow.Engine.Model;

/// <summary>The spellings the file formats use for the domain enums (formats.md), in one place.</summary>
public static class ModelNames
{
    public static string Of(Band band) => band switch
    {
        Band.Lfa => "LFA",
        Band.Hfa => "HFA",
        _ => throw new ArgumentOutOfRangeException(nameof(band)),
    };

    public static string Of(Sideband sideband) => sideband switch
    {
        Sideband.Usb => "USB",
        Sideband.Lsb => "LSB",
        _ => throw new ArgumentOutOfRangeException(nameof(sideband)),
    };

    public static string Of(ObsMode mode) => mode switch
    {
        ObsMode.TotalPower => "TP",
        ObsMode.OnTheFly => "OTF",
        _ => throw new ArgumentOutOfRangeException(nameof(mode)),
    };

    public static string Of(ScanKind kind) => kind switch
    {
        ScanKind.Calibration => "cal",
        ScanKind.Science => "science",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static bool TryParseBand(string text, out Band band) => TryParse(text, out band, ("LFA", Band.Lfa), ("HFA", Band.Hfa));

    public static bool TryParseSideband(string text, out Sideband sideband) =>
        TryParse(text, out sideband, ("USB", Sideband.Usb), ("LSB", Sideband.Lsb));

    public static bool TryParseObsMode(string text, out ObsMode mode) =>
        TryParse(text, out mode, ("TP", ObsMode.TotalPower), ("OTF", ObsMode.OnTheFly));

    public static bool TryParseKind(string text, out ScanKind kind) =>
        TryParse(text, out kind, ("cal", ScanKind.Calibration), ("science", ScanKind.Science));

    private static bool TryParse<T>(string text, out T value, params (string Name, T Value)[] names)
        where T : struct
    {
        foreach (var (name, candidate) in names)
        {
            if (string.Equals(text.Trim(), name, StringComparison.OrdinalIgnoreCase))
            {
                value = candidate;
                return true;
            }
        }

        value = default;
        return false;
    }
}

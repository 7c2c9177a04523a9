namespace Scanflow.Engine.Model;

/// <summary>The spellings the file formats use for the domain enums (formats.md), in one place.</summary>
public static class ModelNames
{
    /// <summary>The band as the formats spell it: <c>LFA</c> or <c>HFA</c>.</summary>
    public static string Of(Band band) => band switch
    {
        Band.Lfa => "LFA",
        Band.Hfa => "HFA",
        _ => throw new ArgumentOutOfRangeException(nameof(band)),
    };

    /// <summary>The sideband as the formats spell it: <c>USB</c> or <c>LSB</c>.</summary>
    public static string Of(Sideband sideband) => sideband switch
    {
        Sideband.Usb => "USB",
        Sideband.Lsb => "LSB",
        _ => throw new ArgumentOutOfRangeException(nameof(sideband)),
    };

    /// <summary>The observing mode as the formats spell it: <c>TP</c> or <c>OTF</c>.</summary>
    public static string Of(ObsMode mode) => mode switch
    {
        ObsMode.TotalPower => "TP",
        ObsMode.OnTheFly => "OTF",
        _ => throw new ArgumentOutOfRangeException(nameof(mode)),
    };

    /// <summary>The scan kind as the formats spell it: <c>cal</c> or <c>science</c>.</summary>
    public static string Of(ScanKind kind) => kind switch
    {
        ScanKind.Calibration => "cal",
        ScanKind.Science => "science",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>Reads <c>LFA</c> or <c>HFA</c>, in any case and ignoring surrounding whitespace.</summary>
    public static bool TryParseBand(string text, out Band band) => TryParse(text, out band, ("LFA", Band.Lfa), ("HFA", Band.Hfa));

    /// <summary>Reads <c>USB</c> or <c>LSB</c>, in any case and ignoring surrounding whitespace.</summary>
    public static bool TryParseSideband(string text, out Sideband sideband) =>
        TryParse(text, out sideband, ("USB", Sideband.Usb), ("LSB", Sideband.Lsb));

    /// <summary>Reads <c>TP</c> or <c>OTF</c>, in any case and ignoring surrounding whitespace.</summary>
    public static bool TryParseObsMode(string text, out ObsMode mode) =>
        TryParse(text, out mode, ("TP", ObsMode.TotalPower), ("OTF", ObsMode.OnTheFly));

    /// <summary>Reads <c>cal</c> or <c>science</c>, in any case and ignoring surrounding whitespace.</summary>
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

using Scanflow.Engine.Model;

namespace Scanflow.Engine.Formats;

/// <summary>Where an L1 product lives: <c>scan_&lt;id&gt;_&lt;band&gt;.l1.h5</c>, written first as <c>&lt;name&gt;.tmp</c>.</summary>
public static class L1FileNaming
{
    public const string TemporarySuffix = ".tmp";

    public static string FileName(long scanId, Band band) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"scan_{scanId:D6}_{ModelNames.Of(band)}.l1.h5");

    /// <summary>Where the product of a science scan goes in <paramref name="outputDirectory"/>.</summary>
    public static string PathFor(string outputDirectory, RawScanHeader science) => Path.Combine(outputDirectory, FileName(science.ScanId, science.Band));

    public static string TemporaryPath(string finalPath) => finalPath + TemporarySuffix;

    public static bool IsTemporary(string path) => path.EndsWith(TemporarySuffix, StringComparison.Ordinal);
}

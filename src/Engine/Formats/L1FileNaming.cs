using Scanflow.Engine.Model;

namespace Scanflow.Engine.Formats;

/// <summary>Where an L1 product lives: <c>scan_&lt;id&gt;_&lt;band&gt;.l1.h5</c>, written first as <c>&lt;name&gt;.tmp</c>.</summary>
internal static class L1FileNaming
{
    public const string TemporarySuffix = ".tmp";

    public static string FileName(long scanId, Band band) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"scan_{scanId:D6}_{ModelNames.Of(band)}.l1.h5");

    /// <summary>Where the product of a science scan goes in <paramref name="outputDirectory"/>.</summary>
    public static string PathFor(string outputDirectory, RawScanHeader science) => Path.Combine(outputDirectory, FileName(science.ScanId, science.Band));

    public static string TemporaryPath(string finalPath) => finalPath + TemporarySuffix;

    /// <summary>A free name for a product that a newer one supersedes: <c>scan_&lt;id&gt;_&lt;band&gt;.v&lt;n&gt;.l1.h5</c>, the
    /// lowest n not in use, so older products are kept, never overwritten.</summary>
    public static string VersionedPath(string finalPath)
    {
        const string Extension = ".l1.h5";
        var stem = finalPath.EndsWith(Extension, StringComparison.Ordinal) ? finalPath[..^Extension.Length] : finalPath;
        for (var version = 1; ; version++)
        {
            var candidate = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{stem}.v{version}{Extension}");
            if (!File.Exists(candidate))
            {
                return candidate;
            }
        }
    }

    public static bool IsTemporary(string path) => path.EndsWith(TemporarySuffix, StringComparison.Ordinal);
}

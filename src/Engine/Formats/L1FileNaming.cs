using Scanflow.Engine.Ledger;
using Scanflow.Engine.Model;

namespace Scanflow.Engine.Formats;

/// <summary>Where an L1 product lives: <c>scan_&lt;id&gt;_&lt;band&gt;.l1.h5</c>, written first as <c>&lt;name&gt;.tmp</c>.</summary>
internal static partial class L1FileNaming
{
    public const string TemporarySuffix = ".tmp";

    /// <summary>The L1 file's extension.</summary>
    public const string Extension = ".l1.h5";

    /// <summary>The QA metrics beside an L1 file: <c>scan_&lt;id&gt;_&lt;band&gt;.qa.json</c>.</summary>
    public const string QaSuffix = ".qa.json";

    /// <summary>A plot beside an L1 file: <c>scan_&lt;id&gt;_&lt;band&gt;.&lt;kind&gt;.png</c>.</summary>
    public const string PlotSuffix = ".png";

    public static string FileName(long scanId, Band band) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"scan_{scanId:D6}_{ModelNames.Of(band)}.l1.h5");

    /// <summary>Where the product of a science scan goes in <paramref name="outputDirectory"/>.</summary>
    public static string PathFor(string outputDirectory, RawScanHeader science) => Path.Combine(outputDirectory, FileName(science.ScanId, science.Band));

    public static string TemporaryPath(string finalPath) => finalPath + TemporarySuffix;

    /// <summary>A free name for a product that a newer one supersedes: <c>scan_&lt;id&gt;_&lt;band&gt;.v&lt;n&gt;.l1.h5</c>, the
    /// lowest n not in use, so older products are kept, never overwritten.</summary>
    public static string VersionedPath(string finalPath) => VersionedPath(finalPath, []);

    /// <summary>As <see cref="VersionedPath(string)"/>, with n also free for each of the product's
    /// <paramref name="sidecars"/> (<see cref="VersionedSidecarPath"/>), so they move under the same version.</summary>
    public static string VersionedPath(string finalPath, IReadOnlyList<string> sidecars)
    {
        var stem = Stem(finalPath);
        for (var version = 1; ; version++)
        {
            var candidate = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{stem}.v{version}{Extension}");
            if (!File.Exists(candidate) && !sidecars.Any(s => File.Exists(VersionedSidecarPath(s, finalPath, candidate))))
            {
                return candidate;
            }
        }
    }

    /// <summary>Where the sidecar <paramref name="sidecar"/> of the product at <paramref name="finalPath"/> goes when that
    /// product is set aside as <paramref name="versionedPath"/>: <c>scan_000004_LFA.qa.json</c> beside
    /// <c>scan_000004_LFA.v1.l1.h5</c> becomes <c>scan_000004_LFA.v1.qa.json</c>.</summary>
    public static string VersionedSidecarPath(string sidecar, string finalPath, string versionedPath) =>
        Stem(versionedPath) + sidecar[Stem(finalPath).Length..];

    /// <summary>
    /// The QA files beside the product at <paramref name="finalPath"/> that exist now, with their product types:
    /// <c>scan_&lt;id&gt;_&lt;band&gt;.qa.json</c> (QA_METRIC) and <c>scan_&lt;id&gt;_&lt;band&gt;.&lt;kind&gt;.png</c> (PLOT), by
    /// name. A set-aside version's sidecars (<c>.v&lt;n&gt;.</c>) and temporary files are not the product's.
    /// </summary>
    public static IReadOnlyList<(string Type, string Path)> Sidecars(string finalPath)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(finalPath))!;
        var stem = Path.GetFileName(Stem(finalPath));
        if (!Directory.Exists(directory))
        {
            return [];
        }

        var sidecars = new List<(string Type, string Path)>();
        var qa = Path.Join(directory, stem + QaSuffix);
        if (File.Exists(qa))
        {
            sidecars.Add((ProductTypes.QaMetric, qa));
        }

        foreach (var plot in Directory.EnumerateFiles(directory, stem + ".*" + PlotSuffix).Order(StringComparer.Ordinal))
        {
            var kind = Path.GetFileName(plot)[(stem.Length + 1)..^PlotSuffix.Length];
            if (kind.Length > 0 && !VersionPrefix().IsMatch(kind))
            {
                sidecars.Add((ProductTypes.Plot, plot));
            }
        }

        return sidecars;
    }

    public static bool IsTemporary(string path) => path.EndsWith(TemporarySuffix, StringComparison.Ordinal);

    /// <summary>The product path without <c>.l1.h5</c>: what its sidecars' names start with.</summary>
    public static string Stem(string finalPath) => finalPath.EndsWith(Extension, StringComparison.Ordinal) ? finalPath[..^Extension.Length] : finalPath;

    /// <summary>The <c>v&lt;n&gt;.</c> that starts the rest of a set-aside version's sidecar name.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"^v[0-9]+\.")]
    private static partial System.Text.RegularExpressions.Regex VersionPrefix();
}

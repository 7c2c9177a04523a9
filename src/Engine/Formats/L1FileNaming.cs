namespace Scanflow.Engine.Formats;

/// <summary>Where an L1 product lives: <c>scan_&lt;id&gt;_&lt;band&gt;.l1.h5</c>, written first as <c>&lt;name&gt;.tmp</c>.</summary>
public static class L1FileNaming
{
    public const string TemporarySuffix = ".tmp";

    public static string FileName(long scanId, string band) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"scan_{scanId:D6}_{band}.l1.h5");

    public static string TemporaryPath(string finalPath) => finalPath + TemporarySuffix;

    public static bool IsTemporary(string path) => path.EndsWith(TemporarySuffix, StringComparison.Ordinal);
}

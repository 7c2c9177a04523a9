namespace Scanflow.Host.Report;

/// <summary>Writes a report file as NAME.tmp and renames it, so a browser or a web server never sees half a page or image.
/// A file that already holds what would be written is left alone: the service rewrites the report after every few
/// scans, and most of its pages and every earlier plot are unchanged.</summary>
internal static class SiteFile
{
    public const string TemporarySuffix = ".tmp";

    private static readonly System.Text.UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public static void WriteText(string path, string text)
    {
        if (File.Exists(path) && File.ReadAllText(path, Utf8) == text)
        {
            return;
        }

        var temporary = path + TemporarySuffix;
        File.WriteAllText(temporary, text, Utf8);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Copies <paramref name="source"/> unless <paramref name="path"/> is already its copy (same size and
    /// modification time, which the copy takes from its source).</summary>
    public static void Copy(string source, string path)
    {
        var from = new FileInfo(source);
        var to = new FileInfo(path);
        if (to.Exists && to.Length == from.Length && to.LastWriteTimeUtc == from.LastWriteTimeUtc)
        {
            return;
        }

        var temporary = path + TemporarySuffix;
        File.Copy(source, temporary, overwrite: true);
        File.SetLastWriteTimeUtc(temporary, from.LastWriteTimeUtc);
        File.Move(temporary, path, overwrite: true);
    }
}

namespace Scanflow.Host.Report;

/// <summary>Writes a report file as NAME.tmp and renames it, so a browser or a web server never sees half a page or image.</summary>
internal static class SiteFile
{
    public const string TemporarySuffix = ".tmp";

    public static void WriteText(string path, string text)
    {
        var temporary = path + TemporarySuffix;
        File.WriteAllText(temporary, text, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        File.Move(temporary, path, overwrite: true);
    }

    public static void Copy(string source, string path)
    {
        var temporary = path + TemporarySuffix;
        File.Copy(source, temporary, overwrite: true);
        File.Move(temporary, path, overwrite: true);
    }
}

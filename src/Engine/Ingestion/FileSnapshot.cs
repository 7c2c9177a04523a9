namespace Scanflow.Engine.Ingestion;

/// <summary>What a drop file looked like at one stat: a change in any field restarts its settle clock. A symbolic link
/// is described by its own target text only, so stat'ing it follows nothing.</summary>
internal readonly record struct FileSnapshot(long Size, DateTime LastWriteUtc, string? LinkTarget)
{
    /// <summary>Stats <paramref name="path"/>; null when it is gone, a directory, or cannot be stat'ed at all.</summary>
    public static FileSnapshot? Take(string path)
    {
        try
        {
            var info = new FileInfo(path);
            if (info.LinkTarget is { } target)
            {
                return new FileSnapshot(0, DateTime.MinValue, target);
            }

            return info.Exists ? new FileSnapshot(info.Length, info.LastWriteTimeUtc, null) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}

using System.Globalization;

namespace Scanflow.Host;

/// <summary>Whether the service can read or write a directory, found by doing it: permissions, read-only mounts and
/// full disks all show up, which a look at the mode bits would miss.</summary>
internal static class DirectoryProbe
{
    private static long _probes;

    /// <summary>Null when <paramref name="directory"/> exists and can be listed; otherwise why not.</summary>
    public static string? Unreadable(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return "it does not exist";
        }

        try
        {
            using var entries = Directory.EnumerateFileSystemEntries(directory).GetEnumerator();
            entries.MoveNext();
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return e.Message;
        }
    }

    /// <summary>Null when <paramref name="directory"/> is writable or could be created: checked without creating it, in its
    /// nearest existing ancestor, so a command that then refuses to start has made nothing. Otherwise why not.</summary>
    public static string? Uncreatable(string directory)
    {
        var full = Path.GetFullPath(directory);
        var existing = full;
        while (!Directory.Exists(existing))
        {
            if (File.Exists(existing))
            {
                return $"{existing} is a file, not a directory";
            }

            existing = Path.GetDirectoryName(existing);
            if (existing is null)
            {
                return "no part of the path exists";
            }
        }

        return Unwritable(existing);
    }

    /// <summary>Null when the file <paramref name="path"/> can be opened for writing (without changing it) or created;
    /// otherwise why not.</summary>
    public static string? UnwritableFile(string path)
    {
        if (Directory.Exists(path))
        {
            return "it is a directory, not a file";
        }

        if (!File.Exists(path))
        {
            return Uncreatable(Path.GetDirectoryName(Path.GetFullPath(path))!);
        }

        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return e.Message.TrimEnd('.');
        }
    }

    /// <summary>Null when <paramref name="directory"/> exists and a file can be created and deleted in it; otherwise why not.</summary>
    public static string? Unwritable(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return "it does not exist";
        }

        // A name of its own per probe: readiness checks may run concurrently.
        var probe = Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $".scanflow-probe-{Environment.ProcessId}-{Interlocked.Increment(ref _probes)}"));
        try
        {
            File.WriteAllText(probe, "");
            File.Delete(probe);
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return $"no file can be created in {directory} (permission denied)";
        }
        catch (IOException e)
        {
            // .NET says "Read-only file system : 'PROBE'"; the probe file means nothing to the user, so it is left out.
            return $"no file can be created in {directory} ({e.Message.Replace($" : '{probe}'", "", StringComparison.Ordinal).Replace(probe, directory, StringComparison.Ordinal).TrimEnd('.')})";
        }
    }
}

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

    /// <summary>Null when <paramref name="directory"/> exists and a file can be created and deleted in it; otherwise why not.</summary>
    public static string? Unwritable(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return "it does not exist";
        }

        try
        {
            // A name of its own per probe: readiness checks may run concurrently.
            var probe = Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $".scanflow-probe-{Environment.ProcessId}-{Interlocked.Increment(ref _probes)}"));
            File.WriteAllText(probe, "");
            File.Delete(probe);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return e.Message;
        }
    }
}

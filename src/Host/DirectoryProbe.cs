using System.Globalization;

namespace Scanflow.Host;

/// <summary>Whether the service can write into a directory, found by writing: permissions, read-only mounts and
/// full disks all show up, which a look at the mode bits would miss.</summary>
internal static class DirectoryProbe
{
    private static long _probes;

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

using System.Globalization;
using Microsoft.Data.Sqlite;
using Scanflow.Engine.Formats.Hdf5;
using Scanflow.Engine.Ledger;

namespace Scanflow.Engine.Formats;

/// <summary>
/// The file system the products (and, by default, the ledger) are written to: how much space it has left, and whether
/// an error means it had none. A full disk is a condition of the run, not of one scan: callers stop or pause on it
/// rather than fail scan after scan.
/// </summary>
internal static class OutputDisk
{
    private const int NoSpaceErrno = 28; // ENOSPC on Linux and macOS
    private const int WindowsDiskFull = unchecked((int)0x80070070); // ERROR_DISK_FULL
    private const int WindowsHandleDiskFull = unchecked((int)0x80070027); // ERROR_HANDLE_DISK_FULL

    /// <summary>True when <paramref name="error"/> (or an error inside it) is a write that failed for lack of space:
    /// ENOSPC from the file system or inside HDF5's error stack, or SQLite's (<see cref="LedgerReserve.IsFull"/>).</summary>
    public static bool IsFull(Exception? error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case AggregateException aggregate:
                    return aggregate.InnerExceptions.Any(IsFull);
                case SqliteException sqlite when LedgerReserve.IsFull(sqlite):
                    return true;
                case Hdf5Exception hdf5 when NamesNoSpace(hdf5.Message):
                    return true;
                case IOException io when io.HResult is NoSpaceErrno or WindowsDiskFull or WindowsHandleDiskFull:
                    return true;
            }
        }

        return false;
    }

    /// <summary>Bytes free to this user on the file system that holds <paramref name="path"/> (or its nearest existing
    /// parent); null when it cannot be told.</summary>
    public static long? FreeBytes(string path)
    {
        try
        {
            return new DriveInfo(ExistingAncestor(path)).AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>Where the file system that holds <paramref name="path"/> is mounted (the path itself when that cannot be told).</summary>
    public static string MountPoint(string path)
    {
        var full = Path.GetFullPath(path);
        try
        {
            return DriveInfo.GetDrives()
                .Select(d => d.Name)
                .Where(m => Contains(m, full))
                .MaxBy(m => m.Length) ?? full;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return full;
        }
    }

    /// <summary>"output disk full (N MB free on MOUNT)": the reason a scan failed, measured now.</summary>
    public static string Full(string directory) => $"output disk full ({Free(directory)})";

    /// <summary>"N MB free on MOUNT", for log lines and sentences.</summary>
    public static string Free(string directory) => $"{Megabytes(FreeBytes(directory))} free on {MountPoint(directory)}";

    /// <summary>Bytes as whole MB (MiB, as every size setting), "? MB" when unknown.</summary>
    public static string Megabytes(long? bytes) => bytes is { } b
        ? string.Create(CultureInfo.InvariantCulture, $"{b / (double)(1 << 20):0.#} MB")
        : "? MB";

    // HDF5's sec2 driver puts errno and strerror into its message ("errno = 28, error message = 'No space left on device'").
    private static bool NamesNoSpace(string message) =>
        message.Contains("errno = 28,", StringComparison.Ordinal) || message.Contains("No space left on device", StringComparison.Ordinal);

    private static bool Contains(string mountPoint, string path)
    {
        var root = Path.TrimEndingDirectorySeparator(mountPoint);
        return mountPoint == Path.GetPathRoot(path) || path == root || path.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal);
    }

    private static string ExistingAncestor(string path)
    {
        var directory = Path.GetFullPath(path);
        while (!Directory.Exists(directory) && Path.GetDirectoryName(directory) is { } parent)
        {
            directory = parent;
        }

        return directory;
    }
}

using Microsoft.Data.Sqlite;
using Scanflow.Engine.Formats;
using Scanflow.Engine.Formats.Hdf5;

namespace Scanflow.Engine.Tests.Formats;

/// <summary>Issue 10: which errors mean "no space left", from the real sources where one can be had here.</summary>
public sealed class OutputDiskTests
{
    [Fact]
    public void IsFull_recognises_ENOSPC_from_the_file_system_10()
    {
        // /dev/full answers every write with ENOSPC.
        var error = Assert.ThrowsAny<IOException>(() => File.WriteAllBytes("/dev/full", new byte[4096]));

        Assert.True(OutputDisk.IsFull(error), $"{error.GetType()} HResult {error.HResult}: {error.Message}");
        Assert.True(OutputDisk.IsFull(new AggregateException(new InvalidOperationException("wrapped", error))));
    }

    [Fact]
    public void IsFull_recognises_HDF5_and_SQLite_no_space_and_nothing_else_10()
    {
        Assert.True(OutputDisk.IsFull(new Hdf5Exception("writing dataset", "/x.h5", "/ta_star", "H5FD__sec2_write(): file write failed: errno = 28, error message = 'No space left on device'")));
        Assert.True(OutputDisk.IsFull(new SqliteException("database or disk is full", 13)));
        Assert.True(OutputDisk.IsFull(new SqliteException("disk I/O error", 10, 4874)));
        Assert.False(OutputDisk.IsFull(new SqliteException("database is locked", 5)));
        Assert.False(OutputDisk.IsFull(new Hdf5Exception("reading dataset", "/x.h5", "/on/counts", "errno = 5, error message = 'Input/output error'")));
        Assert.False(OutputDisk.IsFull(new IOException("The process cannot access the file")));
        Assert.False(OutputDisk.IsFull(new UnauthorizedAccessException("denied")));
    }

    [Fact]
    public void Full_names_the_free_space_and_the_mount_point_10()
    {
        var directory = Path.Combine(Path.GetTempPath(), "scanflow-output-disk", Guid.NewGuid().ToString("N"), "not-yet-created");

        var sentence = OutputDisk.Full(directory);

        Assert.Matches(@"^output disk full \([0-9.]+ MB free on /\S*\)$", sentence);
        Assert.NotNull(OutputDisk.FreeBytes(directory));
        Assert.StartsWith(OutputDisk.MountPoint(directory), Path.GetFullPath(directory), StringComparison.Ordinal);
    }
}

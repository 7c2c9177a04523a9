using Scanflow.Engine.Ledger;

namespace Scanflow.Engine.Tests.Ledger;

public sealed class LedgerRejectedTests : IDisposable
{
    private readonly LedgerFixture _ledger = new();

    public void Dispose() => _ledger.Dispose();

    [Fact]
    public void A_rejected_file_version_is_recorded_once_and_listed()
    {
        using var writer = _ledger.OpenWriter();
        var first = _ledger.Time.GetUtcNow();
        var mtime = new DateTimeOffset(2025, 3, 14, 11, 59, 0, TimeSpan.Zero);

        Assert.True(writer.Rejected("/drop/escape.h5", "symlink points outside the drop directory (/etc/passwd)", 0, mtime));
        Assert.True(writer.Rejected("/drop/locked.h5", "cannot read: permission denied", 4096, mtime));
        _ledger.Time.Advance(TimeSpan.FromSeconds(10));
        Assert.False(writer.Rejected("/drop/locked.h5", "cannot read: permission denied (again)", 4096, mtime)); // same version: once
        Assert.True(writer.Rejected("/drop/locked.h5", "cannot read: permission denied", 8192, mtime.AddSeconds(5))); // it changed: a new version

        using var reader = LedgerReader.Open(_ledger.Path);
        Assert.Equal(
            [
                new RejectedFile("/drop/escape.h5", "symlink points outside the drop directory (/etc/passwd)", 0, mtime, first),
                new RejectedFile("/drop/locked.h5", "cannot read: permission denied", 4096, mtime, first),
                new RejectedFile("/drop/locked.h5", "cannot read: permission denied", 8192, mtime.AddSeconds(5), first + TimeSpan.FromSeconds(10)),
            ],
            reader.RejectedFiles());
        Assert.Equal(3, reader.Status(_ledger.Time.GetUtcNow()).Rejected);
        Assert.Empty(reader.Scans());
        Assert.Equal("ok", _ledger.Scalar("PRAGMA integrity_check"));
    }

    [Fact]
    public void Rejections_survive_a_new_run_and_are_not_recorded_again()
    {
        var mtime = new DateTimeOffset(2025, 3, 14, 11, 59, 0, TimeSpan.Zero);
        using (var writer = _ledger.OpenWriter())
        {
            writer.Rejected("/drop/escape.h5", "symlink points outside the drop directory", 0, mtime);
        }

        using (var writer = _ledger.OpenWriter())
        {
            Assert.False(writer.Rejected("/drop/escape.h5", "symlink points outside the drop directory", 0, mtime));
        }

        using var reader = LedgerReader.Open(_ledger.Path);
        Assert.Single(reader.RejectedFiles());
    }
}

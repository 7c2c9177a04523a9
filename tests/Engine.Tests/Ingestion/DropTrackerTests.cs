using Microsoft.Extensions.Time.Testing;
using Scanflow.Engine.Ingestion;
using Scanflow.Engine.Model;
using Scanflow.Engine.Simulation;

namespace Scanflow.Engine.Tests.Ingestion;

public sealed class DropTrackerTests : IDisposable
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(10);
    private readonly TempDirectory _temp = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero));
    private readonly string _drop;
    private readonly string _outside;
    private readonly byte[] _scanBytes;
    private readonly DropTracker _tracker;

    public DropTrackerTests()
    {
        _drop = _temp.Combine("drop");
        _outside = _temp.Combine("outside");
        Directory.CreateDirectory(_drop);
        ScanSimulator.Run(new SimulationOptions { OutputDirectory = _outside, Scans = 1, Pixels = 2, Channels = 32, Noise = false });
        _scanBytes = File.ReadAllBytes(Directory.GetFiles(_outside, "*_tp.h5").Single());
        _tracker = new DropTracker(_drop, Settle, _time);
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void TakeSettled_takes_a_file_only_once_it_has_been_unchanged_for_the_settle_time()
    {
        var path = Write("scan_a.h5", _scanBytes);
        _tracker.Observe(path);

        Assert.Empty(_tracker.TakeSettled());
        _time.Advance(Settle - TimeSpan.FromMilliseconds(1));
        Assert.Empty(_tracker.TakeSettled());
        Assert.Equal(1, _tracker.Tracked);

        _time.Advance(TimeSpan.FromMilliseconds(1));
        var taken = Assert.Single(_tracker.TakeSettled());

        Assert.Equal(path, taken.Path);
        Assert.Null(taken.RejectReason);
        Assert.Equal(ScanKind.Science, taken.Header?.Kind);
        Assert.Equal(0, _tracker.Tracked);
    }

    [Fact]
    public void Observe_of_a_growing_file_restarts_the_settle_clock()
    {
        var path = Write("scan_a.h5", _scanBytes[..(_scanBytes.Length / 2)]);
        _tracker.Observe(path);
        _time.Advance(TimeSpan.FromSeconds(8));

        Append(path, _scanBytes[(_scanBytes.Length / 2)..]);
        _tracker.Observe(path);
        _time.Advance(TimeSpan.FromSeconds(8));

        Assert.Empty(_tracker.TakeSettled());
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.NotNull(Assert.Single(_tracker.TakeSettled()).Header);
    }

    [Fact]
    public void TakeSettled_notices_a_change_without_an_event_and_restarts_the_settle_clock()
    {
        var path = Write("scan_a.h5", _scanBytes[..(_scanBytes.Length / 2)]);
        _tracker.Observe(path);
        _time.Advance(TimeSpan.FromSeconds(9));
        Append(path, _scanBytes[(_scanBytes.Length / 2)..]);

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Empty(_tracker.TakeSettled());
        _time.Advance(Settle);

        Assert.NotNull(Assert.Single(_tracker.TakeSettled()).Header);
    }

    [Fact]
    public void Observe_ignores_temporary_names_until_the_rename_to_h5()
    {
        var part = Write("scan_a.h5.part", _scanBytes);
        _tracker.Observe(part);
        _tracker.Observe(Write("scan_b.h5.TMP", _scanBytes));
        _tracker.Observe(Write("notes.txt", _scanBytes));
        _tracker.Observe(Directory.CreateDirectory(Path.Combine(_drop, "folder.h5")).FullName);
        Assert.Equal(0, _tracker.Tracked);
        _time.Advance(Settle * 2);
        Assert.Empty(_tracker.TakeSettled());

        var final = Path.Combine(_drop, "scan_a.h5");
        File.Move(part, final);
        _tracker.Observe(final);
        _time.Advance(Settle);

        var taken = Assert.Single(_tracker.TakeSettled());
        Assert.Equal(final, taken.Path);
        Assert.NotNull(taken.Header);
    }

    [Fact]
    public void Observe_accepts_the_hdf5_extension_in_any_case()
    {
        _tracker.Observe(Write("scan_a.HDF5", _scanBytes));

        Assert.Equal(1, _tracker.Tracked);
    }

    [Fact]
    public void Duplicate_events_for_one_file_produce_one_emission()
    {
        var path = Write("scan_a.h5", _scanBytes);
        _tracker.Observe(path);
        _time.Advance(TimeSpan.FromSeconds(5));
        _tracker.Observe(path);
        _tracker.Observe(Path.Combine(_drop, ".", "scan_a.h5"));
        _time.Advance(TimeSpan.FromSeconds(5));

        Assert.Single(_tracker.TakeSettled());

        _tracker.Observe(path);
        _time.Advance(Settle * 3);
        Assert.Empty(_tracker.TakeSettled());
        Assert.Empty(_tracker.TakeSettled());
        Assert.Equal(0, _tracker.Tracked);
    }

    [Fact]
    public void A_truncated_file_is_rejected_with_the_reason_and_taken_once_it_is_rewritten_whole()
    {
        var path = Write("scan_a.h5", _scanBytes[..(_scanBytes.Length / 3)]);
        _tracker.Observe(path);
        _time.Advance(Settle);

        var rejected = Assert.Single(_tracker.TakeSettled());
        Assert.Null(rejected.Header);
        Assert.Equal("cannot be opened as HDF5 (truncated, still being written, or not an HDF5 file)", rejected.RejectReason);
        _time.Advance(Settle);
        Assert.Empty(_tracker.TakeSettled());

        Write("scan_a.h5", _scanBytes);
        File.SetLastWriteTimeUtc(path, File.GetLastWriteTimeUtc(path).AddSeconds(1));
        _tracker.Observe(path);
        _time.Advance(Settle);

        var taken = Assert.Single(_tracker.TakeSettled());
        Assert.Null(taken.RejectReason);
        Assert.NotNull(taken.Header);
    }

    [Fact]
    public void A_truncated_file_is_rejected_with_one_sentence_and_the_HDF5_error_stack_kept_apart_Issue10()
    {
        var path = Write("scan_a.h5", _scanBytes[..(_scanBytes.Length / 3)]);
        _tracker.Observe(path);
        _time.Advance(Settle);

        var rejected = Assert.Single(_tracker.TakeSettled());

        // The rejection line and record name the file; the reason does not repeat it, nor the HDF5 error stack.
        Assert.DoesNotContain(path, rejected.RejectReason, StringComparison.Ordinal);
        Assert.DoesNotContain("H5Fopen", rejected.RejectReason, StringComparison.Ordinal);
        Assert.Contains("H5Fopen", rejected.RejectError?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_hdf5_is_rejected_with_the_reason()
    {
        var path = Write("scan_a.h5", "not a scan"u8.ToArray());
        _tracker.Observe(path);
        _time.Advance(Settle);

        var rejected = Assert.Single(_tracker.TakeSettled());

        Assert.Null(rejected.Header);
        Assert.Equal("cannot be opened as HDF5 (truncated, still being written, or not an HDF5 file)", rejected.RejectReason);
    }

    [Fact]
    public void A_FIFO_a_socket_and_a_device_are_rejected_without_being_opened_and_the_scan_after_them_is_taken_Issue10()
    {
        using var special = new SpecialFiles(_drop, "scan_0");
        var path = Write("scan_a.h5", _scanBytes);
        _tracker.Rescan(Directory.GetFiles(_drop));
        _time.Advance(Settle);

        // Opening the FIFO would block this call for good: no writer ever comes.
        var taken = _tracker.TakeSettled();

        Assert.Equal([.. special.Paths, path], taken.Select(t => t.Path));
        Assert.NotNull(taken[3].Header);
        Assert.Equal(
            [
                "is a character device, not a regular file; only regular files are read as scans",
                "is a FIFO (named pipe), not a regular file; only regular files are read as scans",
                "is a socket, not a regular file; only regular files are read as scans",
            ],
            taken.Take(3).Select(t => t.RejectReason));
    }

    [Fact]
    public void A_calibration_listed_after_its_science_scans_is_taken_before_them_in_one_batch_Issue10()
    {
        // A start on a full drop directory (after a ledger loss) lists everything at once: science named before its
        // calibration must not be handed out first, or it is logged WAITING for a calibration already there.
        var calibration = File.ReadAllBytes(Directory.GetFiles(_outside, "*_cal.h5").Single());
        var science = Write("a_science.h5", _scanBytes);
        var other = Write("b_science.h5", _scanBytes);
        var cal = Write("z_cal.h5", calibration);
        _tracker.Rescan(Directory.GetFiles(_drop));
        _time.Advance(Settle);

        var taken = _tracker.TakeSettled();

        Assert.Equal([cal, science, other], taken.Select(t => t.Path));
        Assert.Equal(ScanKind.Calibration, taken[0].Header?.Kind);
    }

    [Fact]
    public void A_symbolic_link_to_a_file_outside_the_drop_directory_is_rejected_and_not_followed()
    {
        var target = Directory.GetFiles(_outside, "*_tp.h5").Single();
        var link = Path.Combine(_drop, "scan_a.h5");
        File.CreateSymbolicLink(link, target);
        _tracker.Observe(link);
        _time.Advance(Settle);

        var rejected = Assert.Single(_tracker.TakeSettled());

        Assert.Null(rejected.Header);
        Assert.Equal($"symbolic link to {target}, outside the drop directory {_drop}; not followed", rejected.RejectReason);
    }

    [Fact]
    public void A_dangling_symbolic_link_is_rejected()
    {
        var link = Path.Combine(_drop, "scan_a.h5");
        File.CreateSymbolicLink(link, Path.Combine(_drop, "gone.h5"));
        _tracker.Observe(link);
        _time.Advance(Settle);

        var rejected = Assert.Single(_tracker.TakeSettled());

        Assert.Null(rejected.Header);
        Assert.Contains("does not exist; not followed", rejected.RejectReason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_symbolic_link_to_a_file_inside_the_drop_directory_is_taken()
    {
        Directory.CreateDirectory(Path.Combine(_drop, "incoming"));
        Write(Path.Combine("incoming", "real.h5"), _scanBytes);
        var link = Path.Combine(_drop, "scan_a.h5");
        File.CreateSymbolicLink(link, Path.Combine("incoming", "real.h5"));
        _tracker.Observe(link);
        _time.Advance(Settle);

        var taken = Assert.Single(_tracker.TakeSettled());

        Assert.Equal(link, taken.Path);
        Assert.Null(taken.RejectReason);
        Assert.NotNull(taken.Header);
    }

    [Fact]
    public void A_taken_file_that_is_written_again_is_evaluated_again_once_settled()
    {
        var path = Write("scan_a.h5", _scanBytes);
        _tracker.Observe(path);
        _time.Advance(Settle);
        Assert.Single(_tracker.TakeSettled());

        File.SetLastWriteTimeUtc(path, File.GetLastWriteTimeUtc(path).AddSeconds(1));
        _tracker.Observe(path);
        Assert.Equal(1, _tracker.Tracked);
        Assert.Empty(_tracker.TakeSettled());
        _time.Advance(Settle);

        Assert.NotNull(Assert.Single(_tracker.TakeSettled()).Header);
    }

    [Fact]
    public void A_deleted_file_stops_being_tracked()
    {
        var path = Write("scan_a.h5", _scanBytes);
        _tracker.Observe(path);
        Assert.Equal(1, _tracker.Tracked);

        File.Delete(path);
        _time.Advance(Settle);

        Assert.Empty(_tracker.TakeSettled());
        Assert.Equal(0, _tracker.Tracked);
    }

    [Fact]
    public void A_file_deleted_and_dropped_again_under_the_same_name_is_taken_again()
    {
        var path = Write("scan_a.h5", _scanBytes);
        _tracker.Observe(path);
        _time.Advance(Settle);
        Assert.Single(_tracker.TakeSettled());

        File.Delete(path);
        Assert.Empty(_tracker.TakeSettled());
        Write("scan_a.h5", _scanBytes);
        _tracker.Observe(path);
        _time.Advance(Settle);

        Assert.NotNull(Assert.Single(_tracker.TakeSettled()).Header);
    }

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_drop, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static void Append(string path, byte[] bytes)
    {
        var before = File.GetLastWriteTimeUtc(path);
        using (var stream = new FileStream(path, FileMode.Append))
        {
            stream.Write(bytes);
        }

        // Coarse file-system clocks could leave mtime unchanged; the size changes anyway, the mtime is made to as well.
        File.SetLastWriteTimeUtc(path, before.AddSeconds(1));
    }

    [Fact]
    public void A_rescan_forgets_files_deleted_without_an_event_and_keeps_the_others_taken()
    {
        var kept = Write("scan_a.h5", _scanBytes);
        var deleted = Write("scan_b.h5", _scanBytes);
        _tracker.Rescan([kept, deleted]);
        _time.Advance(Settle);
        Assert.Equal(2, _tracker.TakeSettled().Count);

        File.Delete(deleted);
        _tracker.Rescan([kept]);
        _time.Advance(Settle);

        Assert.Equal(1, _tracker.Known);
        Assert.Empty(_tracker.TakeSettled());
    }

    [Fact]
    public void A_taken_file_changed_without_an_event_is_seen_at_the_next_rescan()
    {
        var path = Write("scan_a.h5", _scanBytes[..(_scanBytes.Length / 3)]);
        _tracker.Observe(path);
        _time.Advance(Settle);
        Assert.Null(Assert.Single(_tracker.TakeSettled()).Header);

        Write("scan_a.h5", _scanBytes);
        File.SetLastWriteTimeUtc(path, File.GetLastWriteTimeUtc(path).AddSeconds(1));
        _time.Advance(Settle);
        Assert.Empty(_tracker.TakeSettled());

        _tracker.Rescan([path]);
        _time.Advance(Settle);
        Assert.NotNull(Assert.Single(_tracker.TakeSettled()).Header);
    }

    [Fact]
    public void Reconsider_emits_a_taken_unchanged_file_once_more_and_ignores_files_not_taken()
    {
        var path = Write("scan_a.h5", _scanBytes);
        Assert.False(_tracker.Reconsider(path));
        _tracker.Observe(path);
        Assert.False(_tracker.Reconsider(path));
        _time.Advance(Settle);
        Assert.Single(_tracker.TakeSettled());

        Assert.True(_tracker.Reconsider(path));

        Assert.NotNull(Assert.Single(_tracker.TakeSettled()).Header);
        Assert.Empty(_tracker.TakeSettled());
    }
}

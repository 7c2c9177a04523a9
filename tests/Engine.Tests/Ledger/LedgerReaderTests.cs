using Scanflow.Engine.Ledger;
using Scanflow.Engine.Model;

namespace Scanflow.Engine.Tests.Ledger;

public sealed class LedgerReaderTests : IDisposable
{
    private readonly LedgerFixture _ledger = new();

    public void Dispose() => _ledger.Dispose();

    [Fact]
    public void Reader_sees_each_commit_of_a_writer_that_is_still_open()
    {
        using var writer = _ledger.OpenWriter();
        using var reader = LedgerReader.Open(_ledger.Path);
        Assert.Empty(reader.Scans());

        var claimed = writer.Claim(LedgerFixture.Claim(7));
        Assert.Equal(ScanStatus.Running, Assert.Single(reader.Scans()).Status);

        writer.Succeeded(claimed.RowId, claimed.Attempt, "/out/scan_000007_K.l1.h5", "abc", 10, [], LedgerFixture.Durations);
        var record = Assert.Single(reader.History(7));
        Assert.Equal(ScanStatus.Succeeded, record.Status);
        Assert.Equal("abc", record.L1Sha256);
        Assert.Equal([6L], record.CalibrationScanIds);
        Assert.Equal(["cal-1"], record.CalibrationSha256);
        Assert.Equal(_ledger.Time.GetUtcNow(), record.FinishedUtc);
    }

    [Fact]
    public void Status_counts_by_status_and_band_and_reports_the_last_hour()
    {
        using var writer = _ledger.OpenWriter();
        var start = _ledger.Time.GetUtcNow();
        Succeed(writer, LedgerFixture.Claim(1, band: Band.Hfa));                  // 2 h before "now": outside the hour
        _ledger.Time.Advance(TimeSpan.FromHours(1.5));
        Succeed(writer, LedgerFixture.Claim(2, band: Band.Hfa));
        Succeed(writer, LedgerFixture.Claim(3, band: Band.Lfa));
        var failed = writer.Claim(LedgerFixture.Claim(4, band: Band.Lfa));
        writer.Failed(failed.RowId, failed.Attempt, "Load", "bad", FailureKind.Permanent, LedgerFixture.Durations);
        _ledger.Time.Advance(TimeSpan.FromMinutes(10));
        writer.Requeue(failedOnly: true, []);
        var lastSuccess = start + TimeSpan.FromHours(1.5);
        _ledger.Time.Advance(TimeSpan.FromMinutes(20));

        using var reader = LedgerReader.Open(_ledger.Path);
        var status = reader.Status(start + TimeSpan.FromHours(2));

        Assert.Equal(
            [(ScanStatus.Pending, "LFA", 1), (ScanStatus.Succeeded, "HFA", 2), (ScanStatus.Succeeded, "LFA", 1)],
            status.Counts.OrderBy(c => c.Status).ThenBy(c => c.Band, StringComparer.Ordinal));
        Assert.Equal(lastSuccess, status.LastSuccessUtc);
        Assert.Equal(4, status.OldestPendingScanId);
        Assert.Equal(lastSuccess + TimeSpan.FromMinutes(10), status.OldestPendingSinceUtc);
        Assert.Equal(2, status.SucceededLastHour);
        Assert.Equal(1002 + 1003, status.BytesLastHour);
    }

    [Fact]
    public void Scans_filters_by_status_source_and_start_mjd()
    {
        using var writer = _ledger.OpenWriter();
        Succeed(writer, LedgerFixture.Claim(1));
        Succeed(writer, LedgerFixture.Claim(2));
        writer.Claim(LedgerFixture.Claim(3) with { Source = "Orion" });

        using var reader = LedgerReader.Open(_ledger.Path);
        Assert.Equal([1L, 2L, 3L], reader.Scans().Select(s => s.ScanId));
        Assert.Equal([1L, 2L], reader.Scans(ScanStatus.Succeeded).Select(s => s.ScanId));
        Assert.Equal([3L], reader.Scans(source: "Orion").Select(s => s.ScanId));
        Assert.Equal([2L, 3L], reader.Scans(sinceMjd: 60002).Select(s => s.ScanId));
        Assert.Empty(reader.Scans(ScanStatus.Running, "W3OH"));
    }

    [Fact]
    public void Attempts_export_one_row_per_attempt_with_provenance()
    {
        using var writer = _ledger.OpenWriter();
        var first = writer.Claim(LedgerFixture.Claim(1));
        writer.Failed(first.RowId, first.Attempt, "Load", "hiccup", FailureKind.Transient, LedgerFixture.Durations);
        Succeed(writer, LedgerFixture.Claim(1));
        Succeed(writer, LedgerFixture.Claim(2));

        using var reader = LedgerReader.Open(_ledger.Path);
        var all = reader.Attempts();

        Assert.Equal([(1L, 1), (1L, 2), (2L, 1)], all.Select(a => (a.ScanId, a.Attempt)));
        Assert.Equal(writer.RunId, all[0].RunId);
        Assert.Equal(("Load", "hiccup", (FailureKind?)FailureKind.Transient), (all[0].Stage, all[0].Error, all[0].FailureKind));
        Assert.All(all, a => Assert.Equal(("cfg-1", "1.0.0", "in-1"), (a.ConfigSha256, a.EngineVersion, a.InputSha256)));
        Assert.Equal(2, reader.Products().Count);
    }

    [Fact]
    public void CurrentProduct_answers_only_for_a_current_success_of_the_same_scan_configuration_input_file_and_calibrations()
    {
        using var writer = _ledger.OpenWriter();
        var mtime = new DateTime(2026, 11, 23, 10, 0, 0, DateTimeKind.Utc).AddTicks(1234567);
        var done = LedgerFixture.Claim(1) with { InputLastWriteUtc = mtime };
        Succeed(writer, done);
        var failed = writer.Claim(LedgerFixture.Claim(2) with { InputLastWriteUtc = mtime });
        writer.Failed(failed.RowId, failed.Attempt, "Load", "bad", FailureKind.Permanent, LedgerFixture.Durations);
        // Scan 3's product path is taken over by scan 4's success: scan 3's product is no longer current.
        Succeed(writer, LedgerFixture.Claim(3) with { InputLastWriteUtc = mtime, L1Path = "/out/shared.l1.h5" });
        Succeed(writer, LedgerFixture.Claim(4) with { InputLastWriteUtc = mtime, L1Path = "/out/shared.l1.h5" });

        using var reader = LedgerReader.Open(_ledger.Path);
        string? Product(
            ScanClaim c, Band? band = null, string? config = null, string? path = null, long? bytes = null, DateTime? time = null, long[]? calibrations = null) =>
            reader.CurrentProduct(
                c.ScanId, band ?? c.Band, config ?? c.ConfigSha256, path ?? c.InputPath, bytes ?? c.InputBytes, time ?? mtime, calibrations ?? c.CalibrationScanIds);

        Assert.Equal(done.L1Path, Product(done));
        Assert.Null(Product(done, band: Band.Lfa));
        Assert.Null(Product(done, config: "cfg-2"));
        Assert.Null(Product(done, path: "/raw/moved.h5"));
        Assert.Null(Product(done, bytes: done.InputBytes + 1));
        Assert.Null(Product(done, time: mtime.AddTicks(1)));
        Assert.Null(Product(done, calibrations: [.. done.CalibrationScanIds, 99])); // a later calibration arrived (gain interpolation)
        Assert.Null(Product(LedgerFixture.Claim(2)));
        Assert.Null(Product(LedgerFixture.Claim(3)));
        Assert.Equal("/out/shared.l1.h5", Product(LedgerFixture.Claim(4)));
    }

    private static void Succeed(LedgerWriter writer, ScanClaim claim)
    {
        var result = writer.Claim(claim);
        Assert.Equal(ClaimOutcome.Claimed, result.Outcome);
        writer.Succeeded(result.RowId, result.Attempt, claim.L1Path, $"l1-{claim.ScanId}", 1, [], LedgerFixture.Durations);
    }
}

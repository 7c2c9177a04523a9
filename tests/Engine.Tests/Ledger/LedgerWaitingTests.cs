using Scanflow.Engine.Ledger;
using Scanflow.Engine.Model;

namespace Scanflow.Engine.Tests.Ledger;

public sealed class LedgerWaitingTests : IDisposable
{
    private const string NoCalibration = "calibration scan 6 has not arrived";

    private readonly LedgerFixture _ledger = new();

    public void Dispose() => _ledger.Dispose();

    [Fact]
    public void Waiting_then_claim_then_succeeded_uses_one_row_and_fills_in_the_inputs()
    {
        using var writer = _ledger.OpenWriter();
        var since = _ledger.Time.GetUtcNow();

        Assert.True(writer.Waiting(LedgerFixture.Waiting(7), NoCalibration));
        _ledger.Time.Advance(TimeSpan.FromMinutes(5));
        Assert.True(writer.Waiting(LedgerFixture.Waiting(7), "still no calibration scan 6")); // the service re-plans: same row, same "since"

        using (var reader = LedgerReader.Open(_ledger.Path))
        {
            var waiting = Assert.Single(reader.History(7));
            Assert.Equal((ScanStatus.Waiting, "plan", "still no calibration scan 6", 0), (waiting.Status, waiting.Stage, waiting.Error, waiting.Attempts));
            Assert.Equal(("", 0L), (waiting.InputSha256, waiting.InputBytes));
            Assert.Empty(waiting.CalibrationScanIds);
            Assert.Empty(waiting.CalibrationSha256);
            Assert.Equal(since, waiting.UpdatedUtc);
            Assert.Empty(reader.Attempts());
            Assert.Equal([7L], reader.Scans(ScanStatus.Waiting).Select(s => s.ScanId));
        }

        var claim = LedgerFixture.Claim(7);
        var claimed = writer.Claim(claim);
        Assert.Equal((ClaimOutcome.Claimed, 1), (claimed.Outcome, claimed.Attempt));
        writer.Succeeded(claimed.RowId, claimed.Attempt, claim.L1Path, "l1", 10, [], LedgerFixture.Durations);

        using (var reader = LedgerReader.Open(_ledger.Path))
        {
            var row = Assert.Single(reader.History(7));
            Assert.Equal(claimed.RowId, row.RowId);
            Assert.Equal((ScanStatus.Succeeded, (string?)null, (string?)null), (row.Status, row.Stage, row.Error));
            Assert.Equal(("in-1", 1007L), (row.InputSha256, row.InputBytes));
            Assert.Equal([6L], row.CalibrationScanIds);
            Assert.Equal(["cal-1"], row.CalibrationSha256);
            Assert.Equal([ScanStatus.Succeeded], reader.Attempts(row.RowId).Select(a => a.Status));
        }

        Assert.Equal(ClaimOutcome.AlreadySucceeded, writer.Claim(claim).Outcome);
    }

    [Fact]
    public void Wait_expired_fails_the_row_permanently_with_the_reason_and_records_an_attempt()
    {
        using var writer = _ledger.OpenWriter();
        var since = _ledger.Time.GetUtcNow();
        writer.Waiting(LedgerFixture.Waiting(7), NoCalibration);
        _ledger.Time.Advance(TimeSpan.FromMinutes(30));
        const string reason = "calibration scan 6 did not arrive within 30 min";

        Assert.True(writer.WaitExpired(7, Band.Hfa, "cfg-1", reason));
        Assert.False(writer.WaitExpired(7, Band.Hfa, "cfg-1", reason)); // no longer waiting
        Assert.False(writer.WaitExpired(8, Band.Hfa, "cfg-1", reason)); // no such row

        using (var reader = LedgerReader.Open(_ledger.Path))
        {
            var row = Assert.Single(reader.History(7));
            Assert.Equal((ScanStatus.Failed, (FailureKind?)FailureKind.Permanent, "plan", reason, 1), (row.Status, row.FailureKind, row.Stage, row.Error, row.Attempts));
            var attempt = Assert.Single(reader.Attempts(row.RowId));
            Assert.Equal((ScanStatus.Failed, (FailureKind?)FailureKind.Permanent, "plan", reason), (attempt.Status, attempt.FailureKind, attempt.Stage, attempt.Error));
            Assert.Equal((writer.RunId, since, (DateTimeOffset?)since + TimeSpan.FromMinutes(30)), (attempt.RunId, attempt.StartedUtc, attempt.FinishedUtc));
            Assert.Equal(("cfg-1", "1.0.0", LedgerFixture.Claim(7).L1Path), (attempt.ConfigSha256, attempt.EngineVersion, attempt.L1Path));
        }

        Assert.False(writer.ShouldRetry(1));
        // The calibration turns up after all: the claim has real inputs, unlike the failed wait, so it proceeds.
        var late = writer.Claim(LedgerFixture.Claim(7));
        Assert.Equal((ClaimOutcome.Claimed, 2), (late.Outcome, late.Attempt));
    }

    [Fact]
    public void Waiting_leaves_a_succeeded_or_running_row_alone()
    {
        using var writer = _ledger.OpenWriter();
        var done = writer.Claim(LedgerFixture.Claim(7));
        writer.Succeeded(done.RowId, done.Attempt, LedgerFixture.Claim(7).L1Path, "l1", 10, [], LedgerFixture.Durations);
        var running = writer.Claim(LedgerFixture.Claim(8));
        var before = _ledger.Scalar("SELECT group_concat(row_id || status || coalesce(error, '-') || updated_utc || l1_current, ';') FROM scans");
        _ledger.Time.Advance(TimeSpan.FromMinutes(1));

        Assert.False(writer.Waiting(LedgerFixture.Waiting(7), NoCalibration));
        Assert.False(writer.Waiting(LedgerFixture.Waiting(8), NoCalibration));
        Assert.False(writer.WaitExpired(7, Band.Hfa, "cfg-1", "timeout"));

        Assert.Equal(before, _ledger.Scalar("SELECT group_concat(row_id || status || coalesce(error, '-') || updated_utc || l1_current, ';') FROM scans"));
        using var reader = LedgerReader.Open(_ledger.Path);
        Assert.Equal([(LedgerFixture.Claim(7).L1Path, "l1")], reader.Products());
        Assert.Equal(ClaimOutcome.AlreadySucceeded, writer.Claim(LedgerFixture.Claim(7)).Outcome);
        writer.Succeeded(running.RowId, running.Attempt, LedgerFixture.Claim(8).L1Path, "l1-8", 1, [], LedgerFixture.Durations);
    }

    [Fact]
    public void Waiting_is_keyed_by_configuration_and_takes_over_a_failed_row()
    {
        using var writer = _ledger.OpenWriter();
        var done = writer.Claim(LedgerFixture.Claim(7));
        writer.Succeeded(done.RowId, done.Attempt, LedgerFixture.Claim(7).L1Path, "l1", 10, [], LedgerFixture.Durations);
        var failed = writer.Claim(LedgerFixture.Claim(8));
        writer.Failed(failed.RowId, failed.Attempt, "Load", "hiccup", FailureKind.Transient, LedgerFixture.Durations);

        Assert.True(writer.Waiting(LedgerFixture.Waiting(7, config: "cfg-2"), NoCalibration)); // another configuration: its own row
        Assert.True(writer.Waiting(LedgerFixture.Waiting(8), NoCalibration));

        using var reader = LedgerReader.Open(_ledger.Path);
        Assert.Equal(
            [(7L, "cfg-1", ScanStatus.Succeeded), (7L, "cfg-2", ScanStatus.Waiting), (8L, "cfg-1", ScanStatus.Waiting)],
            reader.Scans().Select(s => (s.ScanId, s.ConfigSha256, s.Status)));
        var eight = reader.History(8).Single();
        Assert.Equal((failed.RowId, 1, (FailureKind?)null, ""), (eight.RowId, eight.Attempts, eight.FailureKind, eight.InputSha256));
        Assert.False(writer.ShouldRetry(failed.RowId));
        var again = writer.Claim(LedgerFixture.Claim(8));
        Assert.Equal((ClaimOutcome.Claimed, failed.RowId, 2), (again.Outcome, again.RowId, again.Attempt));
        Assert.Equal("ok", _ledger.Scalar("PRAGMA integrity_check"));
    }

    [Fact]
    public void Status_counts_waiting_rows_and_rejected_files()
    {
        using var writer = _ledger.OpenWriter();
        writer.Waiting(LedgerFixture.Waiting(1), NoCalibration);
        writer.Waiting(LedgerFixture.Waiting(2, band: Band.Lfa), NoCalibration);
        writer.Waiting(LedgerFixture.Waiting(3), NoCalibration);
        writer.WaitExpired(3, Band.Hfa, "cfg-1", "timeout");
        var claimed = writer.Claim(LedgerFixture.Claim(4));
        writer.Succeeded(claimed.RowId, claimed.Attempt, LedgerFixture.Claim(4).L1Path, "l1", 1, [], LedgerFixture.Durations);
        var mtime = _ledger.Time.GetUtcNow() - TimeSpan.FromMinutes(1);
        writer.Rejected("/drop/link.h5", "symlink points outside the drop directory", 0, mtime);
        writer.Rejected("/drop/locked.h5", "permission denied", 10, mtime);
        writer.Rejected("/drop/locked.h5", "permission denied", 10, mtime);

        using var reader = LedgerReader.Open(_ledger.Path);
        var status = reader.Status(_ledger.Time.GetUtcNow());

        Assert.Equal((2, 2), (status.Waiting, status.Rejected));
        Assert.Equal(
            [(ScanStatus.Succeeded, "HFA", 1), (ScanStatus.Failed, "HFA", 1), (ScanStatus.Waiting, "HFA", 1), (ScanStatus.Waiting, "LFA", 1)],
            status.Counts.OrderBy(c => c.Status).ThenBy(c => c.Band, StringComparer.Ordinal));
        Assert.Null(status.OldestPendingScanId);
        Assert.Equal("ok", _ledger.Scalar("PRAGMA integrity_check"));
    }

    [Fact]
    public void Retry_of_a_named_scan_makes_its_waiting_row_pending_and_retry_failed_leaves_waiting_rows_alone()
    {
        using var writer = _ledger.OpenWriter();
        writer.Waiting(LedgerFixture.Waiting(7), "waiting for a later calibration scan for gain interpolation (until 00:40 UTC)");
        writer.Waiting(LedgerFixture.Waiting(8), NoCalibration);

        Assert.Equal(ScanStatus.Waiting, writer.StatusOf(7, Band.Hfa, "cfg-1"));
        Assert.Null(writer.StatusOf(7, Band.Lfa, "cfg-1"));
        Assert.Equal(0, writer.Requeue(failedOnly: true, []));
        Assert.Equal(1, writer.Requeue(failedOnly: false, [7]));

        Assert.Equal(ScanStatus.Pending, writer.StatusOf(7, Band.Hfa, "cfg-1"));
        Assert.Equal(ScanStatus.Waiting, writer.StatusOf(8, Band.Hfa, "cfg-1"));
        Assert.Equal([LedgerFixture.Waiting(7).InputPath], writer.PendingInputPaths());
        var claimed = writer.Claim(LedgerFixture.Claim(7));
        Assert.Equal(ClaimOutcome.Claimed, claimed.Outcome);
    }
}

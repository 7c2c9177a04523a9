using Scanflow.Engine.Ledger;

namespace Scanflow.Engine.Tests.Ledger;

public sealed class LedgerWriterTests : IDisposable
{
    private readonly LedgerFixture _ledger = new();

    public void Dispose() => _ledger.Dispose();

    [Fact]
    public void Claim_then_succeeded_then_same_inputs_is_skipped_with_the_existing_product()
    {
        using var writer = _ledger.OpenWriter();
        var claim = LedgerFixture.Claim(7);

        var first = writer.Claim(claim);
        Assert.Equal(ClaimOutcome.Claimed, first.Outcome);
        Assert.Equal(1, first.Attempt);
        Assert.Null(first.SupersededL1Path);
        Assert.Equal("RUNNING", _ledger.Scalar($"SELECT status FROM scans WHERE row_id = {first.RowId}"));

        writer.Succeeded(first.RowId, first.Attempt, claim.L1Path, "l1-sha", 4096, [], LedgerFixture.Durations);
        var second = writer.Claim(claim);

        Assert.Equal(ClaimOutcome.AlreadySucceeded, second.Outcome);
        Assert.Equal(first.RowId, second.RowId);
        Assert.Equal(claim.L1Path, second.ExistingL1Path);
        using var reader = LedgerReader.Open(_ledger.Path);
        var attempts = reader.Attempts(first.RowId);
        Assert.Equal([ScanStatus.Succeeded, ScanStatus.Skipped], attempts.Select(a => a.Status));
        Assert.Equal("l1-sha", attempts[1].L1Sha256);
        Assert.Equal(ScanStatus.Succeeded, Assert.Single(reader.History(7)).Status);
        Assert.Equal(TimeSpan.FromSeconds(1.5), attempts[0].StageDurations["Load"]);
    }

    [Fact]
    public void A_ledger_moved_with_its_output_directory_still_skips_its_products()
    {
        using var root = new TempDirectory();
        var before = root.Combine("l1");
        Directory.CreateDirectory(before);
        var product = Path.Join(before, "night", "scan_000007_HFA.l1.h5");
        var claim = LedgerFixture.Claim(7) with { L1Path = product, InputPath = "raw/../raw/scan_000007.h5" };
        using (var writer = LedgerWriter.Open(Path.Join(before, LedgerWriter.DefaultFileName), new LedgerOptions(), _ledger.Time))
        {
            var first = writer.Claim(claim);
            writer.Succeeded(first.RowId, first.Attempt, product, "l1-sha", 4096, [], LedgerFixture.Durations);
        }

        var after = root.Combine("moved");
        Directory.Move(before, after);
        var moved = Path.Join(after, "night", "scan_000007_HFA.l1.h5");
        using (var writer = LedgerWriter.Open(Path.Join(after, LedgerWriter.DefaultFileName), new LedgerOptions(), _ledger.Time))
        {
            var again = writer.Claim(claim with { L1Path = moved });

            Assert.Equal((ClaimOutcome.AlreadySucceeded, moved), (again.Outcome, again.ExistingL1Path));
        }

        using var reader = LedgerReader.Open(Path.Join(after, LedgerWriter.DefaultFileName));
        Assert.Equal([(moved, "l1-sha")], reader.Products());
        var row = Assert.Single(reader.History(7));
        Assert.Equal((moved, Path.GetFullPath("raw/scan_000007.h5")), (row.L1Path, row.InputPath));
    }

    [Fact]
    public void Claim_with_a_changed_input_checksum_recalibrates_and_names_the_superseded_product()
    {
        using var writer = _ledger.OpenWriter();
        var first = writer.Claim(LedgerFixture.Claim(7));
        writer.Succeeded(first.RowId, first.Attempt, LedgerFixture.Claim(7).L1Path, "old-l1", 1, [], LedgerFixture.Durations);

        var changed = writer.Claim(LedgerFixture.Claim(7, inputSha: "in-2"));

        Assert.Equal(ClaimOutcome.Claimed, changed.Outcome);
        Assert.Equal(first.RowId, changed.RowId);
        Assert.Equal(2, changed.Attempt);
        Assert.Equal(LedgerFixture.Claim(7).L1Path, changed.SupersededL1Path);
        writer.Succeeded(changed.RowId, changed.Attempt, LedgerFixture.Claim(7).L1Path, "new-l1", 1, [], LedgerFixture.Durations);
        using var reader = LedgerReader.Open(_ledger.Path);
        Assert.Equal([(LedgerFixture.Claim(7).L1Path, "new-l1")], reader.Products());
        Assert.Equal(["in-1", "in-2"], reader.Attempts(first.RowId).Select(a => a.InputSha256));
    }

    [Fact]
    public void Claim_with_changed_calibration_checksums_recalibrates()
    {
        using var writer = _ledger.OpenWriter();
        var first = writer.Claim(LedgerFixture.Claim(7));
        writer.Succeeded(first.RowId, first.Attempt, LedgerFixture.Claim(7).L1Path, "l1", 1, [], LedgerFixture.Durations);

        Assert.Equal(ClaimOutcome.Claimed, writer.Claim(LedgerFixture.Claim(7, calibrationSha: "cal-2")).Outcome);
    }

    [Fact]
    public void Claim_with_another_configuration_is_its_own_row_and_supersedes_the_product_at_the_same_path()
    {
        using var writer = _ledger.OpenWriter();
        var first = writer.Claim(LedgerFixture.Claim(7));
        writer.Succeeded(first.RowId, first.Attempt, LedgerFixture.Claim(7).L1Path, "l1-a", 1, [], LedgerFixture.Durations);

        var other = writer.Claim(LedgerFixture.Claim(7, config: "cfg-2"));
        Assert.Equal(ClaimOutcome.Claimed, other.Outcome);
        Assert.NotEqual(first.RowId, other.RowId);
        Assert.Equal(LedgerFixture.Claim(7).L1Path, other.SupersededL1Path);
        writer.Succeeded(other.RowId, other.Attempt, LedgerFixture.Claim(7).L1Path, "l1-b", 1, [], LedgerFixture.Durations);

        // Back to the first configuration: its product was overwritten, so it is redone rather than skipped.
        Assert.Equal(ClaimOutcome.Claimed, writer.Claim(LedgerFixture.Claim(7)).Outcome);
    }

    [Theory]
    [InlineData(VersionPolicy.Compatible, false)]
    [InlineData(VersionPolicy.Exact, true)]
    public void Claim_after_an_engine_upgrade_follows_the_version_policy(VersionPolicy policy, bool redone)
    {
        // ClaimOutcome is internal, so the theory says whether the product is redone rather than naming the outcome.
        var expected = redone ? ClaimOutcome.Claimed : ClaimOutcome.AlreadySucceeded;
        using (var old = _ledger.OpenWriter())
        {
            var first = old.Claim(LedgerFixture.Claim(7, engine: "1.0.0"));
            old.Succeeded(first.RowId, first.Attempt, LedgerFixture.Claim(7).L1Path, "l1", 1, [], LedgerFixture.Durations);
        }

        using var upgraded = _ledger.OpenWriter(new LedgerOptions { VersionPolicy = policy });
        var result = upgraded.Claim(LedgerFixture.Claim(7, engine: "1.1.0"));

        Assert.Equal(expected, result.Outcome);
        Assert.Equal(expected == ClaimOutcome.Claimed ? LedgerFixture.Claim(7).L1Path : null, result.SupersededL1Path);
    }

    [Fact]
    public void Exact_policy_skips_a_product_of_the_same_engine_version()
    {
        using var writer = _ledger.OpenWriter(new LedgerOptions { VersionPolicy = VersionPolicy.Exact });
        var first = writer.Claim(LedgerFixture.Claim(7));
        writer.Succeeded(first.RowId, first.Attempt, LedgerFixture.Claim(7).L1Path, "l1", 1, [], LedgerFixture.Durations);

        Assert.Equal(ClaimOutcome.AlreadySucceeded, writer.Claim(LedgerFixture.Claim(7)).Outcome);
    }

    [Fact]
    public void Transient_failures_are_retried_up_to_MaxRetries_then_not()
    {
        using var writer = _ledger.OpenWriter(new LedgerOptions { MaxRetries = 2 });
        var claim = LedgerFixture.Claim(7);

        var attempts = new List<int>();
        ClaimResult result;
        while ((result = writer.Claim(claim)).Outcome == ClaimOutcome.Claimed)
        {
            attempts.Add(result.Attempt);
            writer.Failed(result.RowId, result.Attempt, "Load", "disk hiccup", FailureKind.Transient, LedgerFixture.Durations);
            Assert.Equal(attempts.Count <= 2, writer.ShouldRetry(result.RowId));
            Assert.True(attempts.Count < 10, "claims never stopped");
        }

        Assert.Equal([1, 2, 3], attempts);
        Assert.Equal(ClaimOutcome.FailedPermanently, result.Outcome);
        Assert.Contains("disk hiccup", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Cancelled_attempts_do_not_use_up_retries()
    {
        using var writer = _ledger.OpenWriter(new LedgerOptions { MaxRetries = 1 });
        var claim = LedgerFixture.Claim(7);
        for (var i = 0; i < 3; i++)
        {
            var cancelled = writer.Claim(claim);
            writer.Cancelled(cancelled.RowId, cancelled.Attempt, "Calibrate", LedgerFixture.Durations);
        }

        var result = writer.Claim(claim);
        writer.Failed(result.RowId, result.Attempt, "Load", "disk hiccup", FailureKind.Transient, LedgerFixture.Durations);

        Assert.True(writer.ShouldRetry(result.RowId));
        Assert.Equal(ClaimOutcome.Claimed, writer.Claim(claim).Outcome);
    }

    [Fact]
    public void Permanent_failure_is_not_claimed_again_until_requeued()
    {
        using var writer = _ledger.OpenWriter();
        var claim = LedgerFixture.Claim(7);
        var first = writer.Claim(claim);
        writer.Failed(first.RowId, first.Attempt, "Calibrate", "no hot load in scan 6", FailureKind.Permanent, LedgerFixture.Durations);

        Assert.False(writer.ShouldRetry(first.RowId));
        var refused = writer.Claim(claim);
        Assert.Equal(ClaimOutcome.FailedPermanently, refused.Outcome);
        Assert.Contains("no hot load in scan 6", refused.Reason, StringComparison.Ordinal);
        Assert.Contains("scanflow retry", refused.Reason, StringComparison.Ordinal);

        Assert.Equal(0, writer.Requeue(failedOnly: false, []));
        Assert.Equal(0, writer.Requeue(failedOnly: false, [8]));
        Assert.Equal(1, writer.Requeue(failedOnly: false, [7]));
        var again = writer.Claim(claim);
        Assert.Equal(ClaimOutcome.Claimed, again.Outcome);
        Assert.Equal(2, again.Attempt);
    }

    [Fact]
    public void Permanent_failure_with_a_changed_input_is_claimed()
    {
        using var writer = _ledger.OpenWriter();
        var first = writer.Claim(LedgerFixture.Claim(7));
        writer.Failed(first.RowId, first.Attempt, "Load", "truncated file", FailureKind.Permanent, LedgerFixture.Durations);

        Assert.Equal(ClaimOutcome.Claimed, writer.Claim(LedgerFixture.Claim(7, inputSha: "in-2")).Outcome);
    }

    [Fact]
    public void Requeue_failed_requeues_every_failure_and_nothing_else()
    {
        using var writer = _ledger.OpenWriter();
        foreach (var id in new long[] { 1, 2, 3 })
        {
            var result = writer.Claim(LedgerFixture.Claim(id));
            if (id == 3)
            {
                writer.Succeeded(result.RowId, result.Attempt, LedgerFixture.Claim(id).L1Path, "l1", 1, [], LedgerFixture.Durations);
            }
            else
            {
                writer.Failed(result.RowId, result.Attempt, "Load", "bad", FailureKind.Permanent, LedgerFixture.Durations);
            }
        }

        Assert.Equal(2, writer.Requeue(failedOnly: true, []));
        using var reader = LedgerReader.Open(_ledger.Path);
        Assert.Equal([1L, 2L], reader.Scans(ScanStatus.Pending).Select(s => s.ScanId));
        Assert.Single(reader.Scans(ScanStatus.Succeeded));
    }

    [Fact]
    public void Claim_held_by_a_live_run_changes_nothing_and_names_the_run()
    {
        using var first = _ledger.OpenWriter();
        using var second = _ledger.OpenWriter();
        var claimed = first.Claim(LedgerFixture.Claim(7));

        var held = second.Claim(LedgerFixture.Claim(7));

        Assert.Equal(ClaimOutcome.HeldByAnotherRun, held.Outcome);
        Assert.Contains(first.RunId, held.Reason, StringComparison.Ordinal);
        Assert.Contains($"pid {Environment.ProcessId}", held.Reason, StringComparison.Ordinal);
        Assert.Equal(ClaimOutcome.HeldByAnotherRun, first.Claim(LedgerFixture.Claim(7)).Outcome);
        Assert.Equal("1", _ledger.Scalar($"SELECT count(*) FROM attempts WHERE row_id = {claimed.RowId}"));
    }

    [Fact]
    public void Succeeded_by_a_run_that_no_longer_owns_the_attempt_throws()
    {
        using var writer = _ledger.OpenWriter();
        var claimed = writer.Claim(LedgerFixture.Claim(7));
        writer.Failed(claimed.RowId, claimed.Attempt, "Load", "bad", FailureKind.Transient, LedgerFixture.Durations);

        Assert.Throws<InvalidOperationException>(() => writer.Succeeded(claimed.RowId, claimed.Attempt, "/out/x", "sha", 1, [], LedgerFixture.Durations));
    }

    /// <summary>Issue 15: the ledger names every product, path and error of a project; other users of a shared
    /// login node may not read it, whatever the umask.</summary>
    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void A_new_ledger_and_its_wal_files_are_not_readable_by_other_users_15()
    {
        using (var writer = _ledger.OpenWriter())
        {
            writer.Claim(LedgerFixture.Claim(7));
            foreach (var file in new[] { _ledger.Path, _ledger.Path + "-wal", _ledger.Path + "-shm" })
            {
                var mode = File.GetUnixFileMode(file);
                Assert.Equal(UnixFileMode.None, mode & (UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute));
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, mode & (UnixFileMode.UserRead | UnixFileMode.UserWrite));
            }
        }

        using var reader = LedgerReader.Open(_ledger.Path);
        Assert.Single(reader.Scans());
    }

    [Fact]
    public void RecoverDeadRuns_requeues_the_running_scans_of_a_run_whose_pid_is_gone()
    {
        var dead = LedgerWriter.Open(_ledger.Path, new LedgerOptions(), _ledger.Time, new RunIdentity(Environment.MachineName, 999_999, _ledger.Time.GetUtcNow()));
        var claimed = dead.Claim(LedgerFixture.Claim(7));
        var deadRun = dead.RunId;
        dead.Abandon();

        using var writer = _ledger.OpenWriter();
        var recovered = writer.RecoverDeadRuns();

        Assert.Equal([new RecoveredScan(claimed.RowId, 7, "HFA", LedgerFixture.Claim(7).L1Path)], recovered);
        Assert.Empty(writer.RecoverDeadRuns());
        using (var reader = LedgerReader.Open(_ledger.Path))
        {
            var attempt = Assert.Single(reader.Attempts(claimed.RowId));
            Assert.Equal(ScanStatus.Failed, attempt.Status);
            Assert.Equal(FailureKind.Transient, attempt.FailureKind);
            Assert.Equal($"interrupted: run {deadRun} died", attempt.Error);
            Assert.Equal(ScanStatus.Pending, Assert.Single(reader.History(7)).Status);
        }

        var again = writer.Claim(LedgerFixture.Claim(7));
        Assert.Equal(ClaimOutcome.Claimed, again.Outcome);
        Assert.Equal(2, again.Attempt);
    }

    [Fact]
    public void Claim_takes_over_a_scan_left_running_by_a_disposed_run()
    {
        using (var finished = _ledger.OpenWriter())
        {
            finished.Claim(LedgerFixture.Claim(7));
        }

        using var writer = _ledger.OpenWriter();
        var result = writer.Claim(LedgerFixture.Claim(7));

        Assert.Equal(ClaimOutcome.Claimed, result.Outcome);
        Assert.Equal(2, result.Attempt);
    }

    [Fact]
    public void A_run_on_another_host_is_dead_only_after_its_heartbeat_times_out()
    {
        var remote = LedgerWriter.Open(_ledger.Path, new LedgerOptions(), _ledger.Time, new RunIdentity("other-host", 1234, _ledger.Time.GetUtcNow()));
        remote.Claim(LedgerFixture.Claim(7));
        _ledger.Time.Advance(TimeSpan.FromMinutes(1.5));
        remote.Heartbeat();
        remote.Abandon();
        using var writer = _ledger.OpenWriter();

        _ledger.Time.Advance(TimeSpan.FromMinutes(1.5));
        Assert.Empty(writer.RecoverDeadRuns());
        Assert.Equal(ClaimOutcome.HeldByAnotherRun, writer.Claim(LedgerFixture.Claim(7)).Outcome);

        _ledger.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Single(writer.RecoverDeadRuns());
    }

    [Fact]
    public void KnownInputSha256_answers_only_for_the_same_path_size_and_mtime()
    {
        using var writer = _ledger.OpenWriter();
        var mtime = new DateTime(2026, 11, 23, 10, 0, 0, DateTimeKind.Utc).AddTicks(1234567);
        var claim = LedgerFixture.Claim(1) with { InputLastWriteUtc = mtime };
        writer.Claim(claim);

        Assert.Equal("in-1", writer.KnownInputSha256(claim.InputPath, claim.InputBytes, mtime));
        Assert.Null(writer.KnownInputSha256(claim.InputPath, claim.InputBytes, mtime.AddTicks(1)));
        Assert.Null(writer.KnownInputSha256(claim.InputPath, claim.InputBytes + 1, mtime));
        Assert.Null(writer.KnownInputSha256("/raw/other.h5", claim.InputBytes, mtime));
        Assert.Null(writer.KnownInputSha256(LedgerFixture.Claim(2).InputPath, LedgerFixture.Claim(2).InputBytes, default));
    }

    [Fact]
    public void A_scan_left_running_by_more_dying_runs_than_the_retry_budget_is_given_up_until_requeued()
    {
        var options = new LedgerOptions { MaxRetries = 1 };
        for (var death = 0; death < 2; death++)
        {
            var dead = LedgerWriter.Open(_ledger.Path, options, _ledger.Time, new RunIdentity(Environment.MachineName, 999_999, _ledger.Time.GetUtcNow()));
            Assert.Equal(ClaimOutcome.Claimed, dead.Claim(LedgerFixture.Claim(7)).Outcome);
            dead.Abandon();
            using var restarted = LedgerWriter.Open(_ledger.Path, options, _ledger.Time);
            Assert.Single(restarted.RecoverDeadRuns());
        }

        using var writer = LedgerWriter.Open(_ledger.Path, options, _ledger.Time);
        var refused = writer.Claim(LedgerFixture.Claim(7));

        Assert.Equal(ClaimOutcome.FailedPermanently, refused.Outcome);
        Assert.StartsWith("interrupted 2 times by a run that died (MaxRetries 1)", refused.Reason, StringComparison.Ordinal);
        using (var reader = LedgerReader.Open(_ledger.Path))
        {
            var row = Assert.Single(reader.History(7));
            Assert.Equal((ScanStatus.Failed, FailureKind.Permanent), (row.Status, row.FailureKind!.Value));
        }

        Assert.Equal(1, writer.Requeue(failedOnly: true, []));
        Assert.Equal(ClaimOutcome.Claimed, writer.Claim(LedgerFixture.Claim(7)).Outcome);
    }
}

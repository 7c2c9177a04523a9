using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Scanflow.Engine.Formats;
using Scanflow.Engine.Ledger;
using Scanflow.Engine.Simulation;

namespace Scanflow.Blocks.Tests;

public class CalibrationRunTests
{
    [Fact]
    public async Task Transient_failures_are_retried_with_backoff_then_given_up_until_requeued()
    {
        using var run = new GraphRun(new SimulationOptions { OutputDirectory = "set-by-GraphRun", Scans = 1, Pixels = 2, Channels = 64, OnDumps = 10, Noise = false });
        var ledgerPath = Path.Combine(run.Output, LedgerWriter.DefaultFileName);
        var blocked = L1FileNaming.PathFor(run.Output, run.Scans[0].Science);
        Directory.CreateDirectory(blocked); // the rename into place fails with an I/O error: transient

        var first = await RunAsync(run, ledgerPath, maxRetries: 2);

        var failed = Assert.Single(first);
        Assert.Equal(ScanOutcomeStatus.Failed, failed.Status);
        Assert.True(failed.TransientFailure);
        using (var reader = LedgerReader.Open(ledgerPath))
        {
            var attempts = reader.Attempts();
            Assert.Equal(3, attempts.Count);
            Assert.All(attempts, a => Assert.Equal((ScanStatus.Failed, FailureKind.Transient), (a.Status, a.FailureKind!.Value)));
        }

        Directory.Delete(blocked);
        var gaveUp = Assert.Single(await RunAsync(run, ledgerPath, maxRetries: 2));
        Assert.Equal(ScanOutcomeStatus.Failed, gaveUp.Status);
        Assert.Contains("scanflow retry", gaveUp.Error, StringComparison.Ordinal);

        using (var ledger = LedgerWriter.Open(ledgerPath, new LedgerOptions(), TimeProvider.System))
        {
            Assert.Equal(1, ledger.Requeue(failedOnly: true, []));
        }

        var retried = Assert.Single(await RunAsync(run, ledgerPath, maxRetries: 2));
        Assert.Equal(ScanOutcomeStatus.Succeeded, retried.Status);
        Assert.Equal(FileChecksum.Sha256(blocked), retried.Product!.Sha256);
    }

    [Fact]
    public async Task Retry_delays_and_the_heartbeat_run_on_the_injected_clock()
    {
        using var run = new GraphRun(new SimulationOptions { OutputDirectory = "set-by-GraphRun", Scans = 1, Pixels = 2, Channels = 64, OnDumps = 10, Noise = false });
        Directory.CreateDirectory(L1FileNaming.PathFor(run.Output, run.Scans[0].Science)); // transient: the rename fails
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
        var ledgerPath = Path.Combine(run.Output, LedgerWriter.DefaultFileName);
        var outcomes = new List<ScanOutcome>();
        var options = run.Options() with { Time = time, RetryBaseDelay = TimeSpan.FromHours(1) };
        using (var ledger = LedgerWriter.Open(ledgerPath, new LedgerOptions { MaxRetries = 2 }, time))
        using (var runner = new CalibrationRunner(options, new SqliteScanLedger(ledger, options.OutputDirectory, options.Calibration), outcomes.Add))
        {
            // Hour-long delays on the real clock would not end within the 400 steps (≤ 20 s of real time, 66 h of
            // fake time): the run finishes only if the retries wait on the fake clock.
            var running = runner.RunAsync(run.Scans, CancellationToken.None);
            for (var step = 0; step < 400 && !running.IsCompleted; step++)
            {
                time.Advance(TimeSpan.FromMinutes(10));
                await Task.WhenAny(running, Task.Delay(50));
            }

            Assert.True(running.IsCompleted, "the retries did not follow the injected clock");
            await running;
        }

        Assert.Equal(ScanOutcomeStatus.Failed, Assert.Single(outcomes).Status);
        using var reader = LedgerReader.Open(ledgerPath);
        var attempts = reader.Attempts().OrderBy(a => a.Attempt).ToList();
        Assert.Equal(3, attempts.Count);
        Assert.True(attempts[1].StartedUtc - attempts[0].FinishedUtc!.Value >= TimeSpan.FromHours(1), "first retry after the base delay");
        Assert.True(attempts[2].StartedUtc - attempts[1].FinishedUtc!.Value >= TimeSpan.FromHours(2), "second retry after twice the base delay");
        Assert.True(LastHeartbeat(ledgerPath) >= attempts[0].StartedUtc + TimeSpan.FromHours(3), "the heartbeat follows the injected clock");
    }

    [Fact]
    public async Task A_rerun_trusts_the_recorded_checksum_of_an_input_with_the_same_path_size_and_mtime()
    {
        using var run = new GraphRun(new SimulationOptions { OutputDirectory = "set-by-GraphRun", Scans = 2, Pixels = 2, Channels = 64, OnDumps = 10, Noise = false });
        var ledgerPath = Path.Combine(run.Output, LedgerWriter.DefaultFileName);
        Assert.All(await RunAsync(run, ledgerPath, maxRetries: 0), o => Assert.Equal(ScanOutcomeStatus.Succeeded, o.Status));

        // Same size and mtime: not read again, so even a changed byte goes unnoticed (the rsync/make rule).
        var kept = run.Scans[0].Science.FilePath;
        var mtime = File.GetLastWriteTimeUtc(kept);
        var bytes = await File.ReadAllBytesAsync(kept);
        bytes[^1] ^= 0xff;
        await File.WriteAllBytesAsync(kept, bytes);
        File.SetLastWriteTimeUtc(kept, mtime);

        // A new size: read again, new checksum, calibrated again.
        await File.AppendAllTextAsync(run.Scans[1].Science.FilePath, "\0");

        var outcomes = (await RunAsync(run, ledgerPath, maxRetries: 0)).ToDictionary(o => o.Scan.Science.FilePath, o => o.Status);
        Assert.Equal(ScanOutcomeStatus.Skipped, outcomes[kept]);
        Assert.Equal(ScanOutcomeStatus.Succeeded, outcomes[run.Scans[1].Science.FilePath]);
    }

    /// <summary>Issue 10's flaky case: the disk fills when the ledger claims a scan, not while a product is written. That
    /// scan never started: it is reported not started, like the scans after it, and the ledger holds no row for it.</summary>
    [Fact]
    public async Task A_claim_that_meets_a_full_disk_stops_the_run_and_reports_its_scan_not_started()
    {
        using var run = new GraphRun(new SimulationOptions { OutputDirectory = "set-by-GraphRun", Scans = 4, Pixels = 2, Channels = 64, OnDumps = 10, Noise = false });
        var ledgerPath = Path.Combine(run.Output, LedgerWriter.DefaultFileName);
        var outcomes = new List<ScanOutcome>();
        var options = run.Options();
        string? diskFull;
        using (var ledger = LedgerWriter.Open(ledgerPath, new LedgerOptions(), TimeProvider.System))
        using (var runner = new CalibrationRunner(options, new ClaimFailsForFullDiskLedger(new SqliteScanLedger(ledger, options.OutputDirectory, options.Calibration), claims: 1), outcomes.Add))
        {
            await runner.RunAsync(run.Scans, CancellationToken.None);
            diskFull = runner.DiskFull;
        }

        Assert.StartsWith("output disk full (", diskFull, StringComparison.Ordinal);
        Assert.Equal(ScanOutcomeStatus.Succeeded, outcomes.Single(o => o.Scan == run.Scans[0]).Status);
        var stopped = outcomes.Where(o => o.Scan != run.Scans[0]).ToList();
        Assert.Equal(3, stopped.Count);
        Assert.All(stopped, o => Assert.Equal((ScanOutcomeStatus.Cancelled, $"not started: {diskFull}"), (o.Status, o.Error)));
        using var reader = LedgerReader.Open(ledgerPath);
        Assert.Equal(ScanStatus.Succeeded, Assert.Single(reader.Scans()).Status);
    }

    private static DateTimeOffset LastHeartbeat(string ledgerPath)
    {
        using var connection = new SqliteConnection($"Data Source={ledgerPath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT max(heartbeat_utc) FROM runs;";
        return DateTimeOffset.Parse((string)command.ExecuteScalar()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
    }

    private static async Task<List<ScanOutcome>> RunAsync(GraphRun run, string ledgerPath, int maxRetries)
    {
        var outcomes = new List<ScanOutcome>();
        using var ledger = LedgerWriter.Open(ledgerPath, new LedgerOptions { MaxRetries = maxRetries }, TimeProvider.System);
        var options = run.Options() with { RetryBaseDelay = TimeSpan.FromMilliseconds(10) };
        using var calibration = new CalibrationRunner(options, new SqliteScanLedger(ledger, options.OutputDirectory, options.Calibration), outcomes.Add);
        await calibration.RunAsync(run.Scans, CancellationToken.None);
        return outcomes;
    }
}

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

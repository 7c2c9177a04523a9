using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Scanflow.Engine.Formats;
using Scanflow.Engine.Ledger;

namespace Scanflow.Host.Tests;

/// <summary>Exactly-once against the real process: reruns, kill -9 at several points, two processes on one store.</summary>
public sealed class LedgerRunTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "scanflow-host-tests", Guid.NewGuid().ToString("N"));

    private string Store => Path.Combine(_directory, "store");

    private string Output => Path.Combine(_directory, "l1");

    private string Ledger => Path.Combine(Output, LedgerWriter.DefaultFileName);

    [Fact]
    public void Rerun_of_a_finished_store_calibrates_nothing_again()
    {
        Simulate(3);
        Assert.Equal(0, Calibrate().ExitCode);
        var written = Directory.GetFiles(Output, "*.l1.h5").ToDictionary(f => f, File.GetLastWriteTimeUtc);

        var rerun = Calibrate();

        Assert.Equal(0, rerun.ExitCode);
        Assert.Equal(3, CountLines(rerun.Output, "skipped, already calibrated"));
        Assert.Equal(0, CountLines(rerun.Output, "calibrated →"));
        Assert.All(written, w => Assert.Equal(w.Value, File.GetLastWriteTimeUtc(w.Key)));
        AssertEveryScanSucceededOnce(3);
    }

    [Fact]
    public async Task Kill_9_while_loading_writing_and_between_scans_then_rerun_leaves_every_scan_calibrated_once()
    {
        Simulate(6, pixels: 16, channels: 8192, onDumps: 200);

        // During load: the ledger exists but nothing is being written yet.
        await KillWhenAsync(() => File.Exists(Ledger) && !Directory.EnumerateFiles(Output, "*.tmp").Any());
        // During write: a temporary product exists.
        await KillWhenAsync(() => Directory.Exists(Output) && Directory.EnumerateFiles(Output, "*.tmp").Any());
        // Between a scan's L1 file and its plots (issue 14): the L1 file is in place and its plots are still owed.
        await KillWhenAsync(() => Directory.EnumerateFiles(Output, "*.plotdata").Any(p => File.Exists(L1Of(p))));
        // Between scans: right after a product appeared (renamed, perhaps not yet recorded).
        var before = Directory.GetFiles(Output, "*.l1.h5").Length;
        await KillWhenAsync(() => Directory.GetFiles(Output, "*.l1.h5").Length > before);

        var final = Calibrate();

        Assert.True(final.ExitCode == 0, final.Output + final.Errors);
        AssertEveryScanSucceededOnce(6);
    }

    [Fact]
    public async Task Two_processes_on_one_store_calibrate_each_scan_once()
    {
        Simulate(6, pixels: 8, channels: 4096, onDumps: 100);

        var first = StartCalibrate();
        var second = StartCalibrate();
        var results = await Task.WhenAll(first, second);

        Assert.All(results, r => Assert.True(r.ExitCode == 0, r.Output + r.Errors));
        Assert.Equal(6, results.Sum(r => CountLines(r.Output, "calibrated →")));
        AssertEveryScanSucceededOnce(6);
    }

    [Fact]
    public void A_changed_input_is_recalibrated_and_the_older_product_kept()
    {
        Simulate(2);
        Assert.Equal(0, Calibrate().ExitCode);
        var changed = Directory.GetFiles(Store, "scan_000003_*").Single();
        var product = Path.Combine(Output, "scan_000003_LFA.l1.h5");
        var olderSha = FileChecksum.Sha256(product);
        Damage($"import h5py\nwith h5py.File('{changed}', 'r+') as f:\n    f['on/counts'][0, 0, 0] += 1.0\n");

        var rerun = Calibrate();

        Assert.Equal(0, rerun.ExitCode);
        Assert.Equal(1, CountLines(rerun.Output, "calibrated →"));
        Assert.Equal(olderSha, FileChecksum.Sha256(Path.Combine(Output, "scan_000003_LFA.v1.l1.h5")));
        Assert.NotEqual(olderSha, FileChecksum.Sha256(product));
        using var reader = LedgerReader.Open(Ledger);
        Assert.Equal(FileChecksum.Sha256(product), reader.Scans().Single(s => s.ScanId == 3).L1Sha256);
    }

    [Fact]
    public void A_recorded_product_that_was_deleted_is_reported_not_silently_skipped()
    {
        Simulate(2);
        Assert.Equal(0, Calibrate().ExitCode);
        File.Delete(Path.Combine(Output, "scan_000002_LFA.l1.h5"));

        var rerun = Calibrate();

        Assert.Equal(2, rerun.ExitCode);
        Assert.Contains("scan_000002_LFA.l1.h5, but the file is gone", rerun.Output, StringComparison.Ordinal);
        Assert.Equal(1, CountLines(rerun.Output, "skipped, already calibrated"));
    }

    [Fact]
    public void An_output_directory_moved_with_its_ledger_verifies_clean_and_a_rerun_skips_everything()
    {
        Simulate(3);
        Assert.Equal(0, Calibrate().ExitCode);
        var moved = Path.Combine(_directory, "moved");
        Directory.Move(Output, moved);

        var verify = ScanflowProcess.Run("verify", moved);
        var rerun = ScanflowProcess.Run("calibrate", Store, "--output", moved);

        Assert.True(verify.ExitCode == 0, verify.Output + verify.Errors);
        Assert.Contains($"verified 3 L1 products and 18 QA files and plots in {moved}: all match the ledger", verify.Output, StringComparison.Ordinal);
        Assert.True(rerun.ExitCode == 0, rerun.Output + rerun.Errors);
        Assert.Equal(3, CountLines(rerun.Output, "skipped, already calibrated"));
        Assert.Equal(0, CountLines(rerun.Output, "calibrated →"));
    }

    [Theory]
    [InlineData("compatible", 0)]
    [InlineData("exact", 2)]
    public void Version_policy_decides_whether_an_engine_upgrade_recalibrates(string policy, int recalibrated)
    {
        Simulate(2);
        Assert.Equal(0, Calibrate().ExitCode);
        using (var connection = new SqliteConnection($"Data Source={Ledger};Pooling=false"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE scans SET engine_version = '0.0.1+older'";
            command.ExecuteNonQuery();
        }

        var rerun = Calibrate("--version-policy", policy);

        Assert.Equal(0, rerun.ExitCode);
        Assert.Equal(recalibrated, CountLines(rerun.Output, "calibrated →"));
        Assert.Equal(recalibrated, Directory.GetFiles(Output, "*.v1.l1.h5").Length);
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    /// <summary>Every scan SUCCEEDED exactly once, one product each whose checksum the ledger holds, nothing torn.</summary>
    private void AssertEveryScanSucceededOnce(int scans)
    {
        using (var reader = LedgerReader.Open(Ledger))
        {
            var rows = reader.Scans();
            Assert.Equal(scans, rows.Count);
            Assert.All(rows, r => Assert.Equal(ScanStatus.Succeeded, r.Status));
            Assert.All(rows, r => Assert.Equal(FileChecksum.Sha256(r.L1Path!), r.L1Sha256));
            var succeeded = reader.Attempts().Where(a => a.Status == ScanStatus.Succeeded).GroupBy(a => a.RowId);
            Assert.All(succeeded, g => Assert.Single(g));

            // Issue 14: every product of every scan recorded once (the L1 file, its qa.json and five plots), as on disk.
            var products = reader.CurrentProducts();
            Assert.Equal(scans * 7, products.Count);
            Assert.Equal(products.Count, products.Select(p => p.Path).Distinct().Count());
            Assert.All(rows, r => Assert.Equal(
                ["PLOT", "PLOT", "PLOT", "PLOT", "PLOT", "QA_METRIC", "SCIENCE"], products.Where(p => p.RowId == r.RowId).Select(p => p.Type).Order(StringComparer.Ordinal)));
            Assert.All(products, p => Assert.Equal(FileChecksum.Sha256(p.Path), p.Sha256));
            Assert.Equal(
                products.Select(p => Path.GetFileName(p.Path)).Order(StringComparer.Ordinal),
                Directory.GetFiles(Output).Where(f => f.EndsWith(".h5", StringComparison.Ordinal) || f.EndsWith(".json", StringComparison.Ordinal) || f.EndsWith(".png", StringComparison.Ordinal))
                    .Where(f => !f.EndsWith("failures.json", StringComparison.Ordinal)).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        }

        Assert.Equal(scans, Directory.GetFiles(Output, "*.l1.h5").Length);
        Assert.Empty(Directory.GetFiles(Output, "*.tmp"));
        Assert.Empty(Directory.GetFiles(Output, "*.plotdata")); // every plot drawn, none owed
        using var connection = new SqliteConnection($"Data Source={Ledger};Mode=ReadOnly;Pooling=false");
        connection.Open();
        using var owed = connection.CreateCommand();
        owed.CommandText = "SELECT count(*) FROM pending_plots";
        Assert.Equal(0L, owed.ExecuteScalar());
        using var check = connection.CreateCommand();
        check.CommandText = "PRAGMA integrity_check";
        Assert.Equal("ok", check.ExecuteScalar());
    }

    /// <summary>The L1 file of a file beside it, <c>scan_000004_LFA.plotdata</c>: <c>scan_000004_LFA.l1.h5</c>.</summary>
    private static string L1Of(string sidecar)
    {
        var name = Path.GetFileName(sidecar);
        return Path.Combine(Path.GetDirectoryName(sidecar)!, name[..name.IndexOf('.', StringComparison.Ordinal)] + ".l1.h5");
    }

    private async Task KillWhenAsync(Func<bool> condition)
    {
        using var process = Process.Start(StartInfo())!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (process.HasExited || watch.Elapsed > TimeSpan.FromMinutes(2))
            {
                Assert.Fail("scanflow finished before the kill point: " + await output + await errors);
            }

            await Task.Delay(2);
        }

        process.Kill();
        await process.WaitForExitAsync();
    }

    private async Task<ScanflowProcess.Result> StartCalibrate()
    {
        using var process = Process.Start(StartInfo())!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new ScanflowProcess.Result(process.ExitCode, await output, await errors, 0);
    }

    private ProcessStartInfo StartInfo() =>
        new("dotnet", [Path.Combine(AppContext.BaseDirectory, "scanflow.dll"), "calibrate", Store, "--output", Output, "--chunk-mb", "1"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };

    private ScanflowProcess.Result Calibrate(params string[] options) => ScanflowProcess.Run(["calibrate", Store, "--output", Output, .. options]);

    private void Simulate(int scans, int pixels = 2, int channels = 64, int onDumps = 40)
    {
        var result = ScanflowProcess.Run(
            "simulate", "--output", Store, "--scans", scans.ToString(CultureInfo.InvariantCulture), "--pixels", pixels.ToString(CultureInfo.InvariantCulture),
            "--channels", channels.ToString(CultureInfo.InvariantCulture), "--on-dumps", onDumps.ToString(CultureInfo.InvariantCulture), "--no-noise");
        Assert.True(result.ExitCode == 0, result.Errors);
    }

    private void Damage(string script)
    {
        var path = Path.Combine(_directory, "damage.py");
        File.WriteAllText(path, script);
        using var process = Process.Start(new ProcessStartInfo("/usr/bin/python3", [path]) { RedirectStandardError = true })!;
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, errors);
    }

    private static int CountLines(string text, string marker) => text.Split('\n').Count(l => l.Contains(marker, StringComparison.Ordinal));
}

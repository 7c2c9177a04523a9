using Scanflow.Engine.Formats;
using Scanflow.Engine.Ledger;

namespace Scanflow.Host.Tests;

/// <summary><c>scanflow run</c> against the real process: files landing slowly, as .part, in bursts; science before
/// its calibration; SIGTERM and SIGKILL; bad configuration.</summary>
public sealed class RunCommandTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "scanflow-host-tests", Guid.NewGuid().ToString("N"));

    private string Source => Path.Combine(_directory, "source");

    private string Drop => Path.Combine(_directory, "drop");

    private string Output => Path.Combine(_directory, "l1");

    private static Dictionary<string, string> Fast(double waitMinutes = 30) => new()
    {
        ["SCANFLOW__MaxCalibrationAgeMinutes"] = "600",
        ["SCANFLOW__RescanSeconds"] = "1",
        ["SCANFLOW__ShutdownGraceSeconds"] = "20",
        ["SCANFLOW__CalibrationWaitMinutes"] = waitMinutes.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    [Fact]
    public async Task Files_written_slowly_as_part_files_and_in_a_burst_of_hundreds_are_each_calibrated_once()
    {
        Simulate(scans: 200, onDumps: 5, offDumps: 2);
        Directory.CreateDirectory(Drop);
        var files = Directory.GetFiles(Source, "*.h5").Order(StringComparer.Ordinal).ToArray();
        using var service = new ServiceProcess(Fast(), "--drop", Drop, "--output", Output, "--settle-seconds", "1");
        await service.WaitForAsync("watching");

        // The calibration scan arrives slowly, in appends 300 ms apart (longer in all than the settle time).
        await WriteSlowlyAsync(files[0], Path.Combine(Drop, Path.GetFileName(files[0])));
        // Two science scans as .part, renamed when complete.
        foreach (var file in files[1..3])
        {
            var part = Path.Combine(Drop, Path.GetFileName(file) + ".part");
            File.Copy(file, part);
            File.Move(part, Path.Combine(Drop, Path.GetFileName(file)));
        }

        // The rest in one burst, into a subdirectory.
        Directory.CreateDirectory(Path.Combine(Drop, "burst"));
        foreach (var file in files[3..])
        {
            File.Copy(file, Path.Combine(Drop, "burst", Path.GetFileName(file)));
        }

        await service.WaitForAsync("calibrated →", count: 200, timeoutSeconds: 300);
        var (exitCode, _) = await service.TerminateAsync();

        Assert.Equal(0, exitCode);
        Assert.Equal(0, service.Count("rejected"));
        AssertSucceededOnce(200);
    }

    [Fact]
    public async Task Science_before_its_calibration_waits_and_is_calibrated_when_the_calibration_lands()
    {
        Simulate(scans: 2);
        Directory.CreateDirectory(Drop);
        using var service = new ServiceProcess(Fast(), "--drop", Drop, "--output", Output, "--settle-seconds", "0.5");
        await service.WaitForAsync("watching");
        foreach (var science in Directory.GetFiles(Source, "*_tp.h5"))
        {
            File.Copy(science, Path.Combine(Drop, Path.GetFileName(science)));
        }

        await service.WaitForAsync("WAITING", count: 2);
        await WaitUntilAsync(() => CountStatus(ScanStatus.Waiting) == 2, service);
        var calibration = Directory.GetFiles(Source, "*_cal.h5").Single();
        File.Copy(calibration, Path.Combine(Drop, Path.GetFileName(calibration)));
        await service.WaitForAsync("calibrated →", count: 2);
        var (exitCode, _) = await service.TerminateAsync();

        Assert.Equal(0, exitCode);
        AssertSucceededOnce(2);
    }

    [Fact]
    public async Task A_science_scan_whose_calibration_never_lands_fails_with_the_reason()
    {
        Simulate(scans: 1);
        Directory.CreateDirectory(Drop);
        using var service = new ServiceProcess(Fast(waitMinutes: 0.05), "--drop", Drop, "--output", Output, "--settle-seconds", "0.5");
        await service.WaitForAsync("watching");
        var science = Directory.GetFiles(Source, "*_tp.h5").Single();
        File.Copy(science, Path.Combine(Drop, Path.GetFileName(science)));

        await service.WaitForAsync("FAILED waiting");
        await WaitUntilAsync(() => CountStatus(ScanStatus.Failed) == 1, service);
        var (exitCode, _) = await service.TerminateAsync();

        Assert.Equal(0, exitCode);
        Assert.Contains("no calibration scan for LFA LO 475.000 GHz USB", service.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SIGTERM_drains_cleanly_SIGKILL_recovers_and_a_restart_finishes_the_rest_once()
    {
        Simulate(scans: 8, pixels: 16, channels: 8192, onDumps: 200);
        Directory.CreateDirectory(Drop);
        foreach (var file in Directory.GetFiles(Source, "*.h5"))
        {
            File.Copy(file, Path.Combine(Drop, Path.GetFileName(file)));
        }

        using (var first = new ServiceProcess(Fast(), "--drop", Drop, "--output", Output, "--settle-seconds", "0.5"))
        {
            await first.WaitForAsync("calibrated →");
            var (exitCode, took) = await first.TerminateAsync();
            Assert.Equal(0, exitCode);
            Assert.True(took < TimeSpan.FromSeconds(20 + 15), $"stop took {took}");
        }

        Assert.Empty(Directory.GetFiles(Output, "*.tmp"));
        using (var second = new ServiceProcess(Fast(), "--drop", Drop, "--output", Output, "--settle-seconds", "0.5"))
        {
            await second.WaitForAsync("calibrated →");
            second.Kill();
            await second.ExitAsync();
        }

        using var third = new ServiceProcess(Fast(), "--drop", Drop, "--output", Output, "--settle-seconds", "0.5");
        await WaitUntilAsync(() => SucceededCount() == 8, third);
        Assert.Equal(0, (await third.TerminateAsync()).ExitCode);
        AssertSucceededOnce(8);
    }

    [Fact]
    public async Task A_ledger_it_cannot_write_stops_the_service_with_exit_code_1_and_a_restart_finishes_every_scan_once()
    {
        Simulate(scans: 3);
        Directory.CreateDirectory(Drop);
        var ledger = Path.Combine(Output, LedgerWriter.DefaultFileName);
        using (var service = new ServiceProcess(Fast(), "--drop", Drop, "--output", Output, "--settle-seconds", "0.5"))
        {
            await service.WaitForAsync("watching");

            // Another process holds the ledger's write lock past the busy timeout: the first claim fails.
            using var holder = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(
                "/usr/bin/python3", // Debian's, which ./test.sh installs (a pyenv python3 may come first on PATH)
                ["-c", "import sqlite3, sys, time; c = sqlite3.connect(sys.argv[1], isolation_level=None); c.execute('BEGIN EXCLUSIVE'); print('locked', flush=True); time.sleep(float(sys.argv[2]))",
                    ledger, (LedgerWriter.BusyTimeout.TotalSeconds + 30).ToString(System.Globalization.CultureInfo.InvariantCulture)])
            {
                RedirectStandardOutput = true,
            })!;
            Assert.Equal("locked", await holder.StandardOutput.ReadLineAsync());
            foreach (var file in Directory.GetFiles(Source, "*.h5"))
            {
                File.Copy(file, Path.Combine(Drop, Path.GetFileName(file)));
            }

            var exitCode = await service.ExitAsync(LedgerWriter.BusyTimeout.TotalSeconds + 60);
            holder.Kill();

            Assert.Equal(1, exitCode);
            Assert.Contains("crit", service.Log, StringComparison.Ordinal);
            Assert.Contains($"the ledger {ledger} cannot be written (", service.Log, StringComparison.Ordinal);
            Assert.Contains("the service stops so that systemd restarts it", service.Log, StringComparison.Ordinal);
            Assert.Contains("database is locked", service.Log, StringComparison.Ordinal);
        }

        using var restarted = new ServiceProcess(Fast(), "--drop", Drop, "--output", Output, "--settle-seconds", "0.5");
        await WaitUntilAsync(() => SucceededCount() == 3, restarted);
        Assert.Equal(0, (await restarted.TerminateAsync()).ExitCode);
        AssertSucceededOnce(3);
    }

    [Fact]
    public async Task A_scan_requeued_with_scanflow_retry_is_calibrated_by_the_running_service()
    {
        Simulate(scans: 1);
        Directory.CreateDirectory(Drop);
        var science = Directory.GetFiles(Source, "*_tp.h5").Single();
        var blocked = L1FileNaming.PathFor(Output, RawScanFile.ReadHeader(science));
        Directory.CreateDirectory(blocked); // the product cannot be renamed into place: an I/O failure
        var settings = new Dictionary<string, string>(Fast()) { ["SCANFLOW__MaxRetries"] = "0" };
        using var service = new ServiceProcess(settings, "--drop", Drop, "--output", Output, "--settle-seconds", "0.5");
        await service.WaitForAsync("watching");
        foreach (var file in Directory.GetFiles(Source, "*.h5"))
        {
            File.Copy(file, Path.Combine(Drop, Path.GetFileName(file)));
        }

        await service.WaitForAsync("FAILED in write");
        Directory.Delete(blocked);
        var retry = ScanflowProcess.Run("retry", "--failed", "--ledger", Path.Combine(Output, LedgerWriter.DefaultFileName));
        Assert.True(retry.ExitCode == 0, retry.Errors);

        await service.WaitForAsync("requeued in the ledger");
        await service.WaitForAsync("calibrated →");
        Assert.Equal(0, (await service.TerminateAsync()).ExitCode);
        AssertSucceededOnce(1);
    }

    [Theory]
    [InlineData("missing-drop", "", "Scanflow:Drop = ")]
    [InlineData("bad-parallelism", "SCANFLOW__PrepareParallelism=0", "Scanflow:PrepareParallelism = 0 is out of range")]
    [InlineData("unwritable-output", "", "Scanflow:Output = ")]
    [InlineData("bad-url", "SCANFLOW__MetricsUrl=ftp://x", "Scanflow:MetricsUrl = 'ftp://x' is not an http(s) URL")]
    public async Task Invalid_configuration_stops_start_up_with_one_sentence(string caseName, string environment, string expected)
    {
        Directory.CreateDirectory(Drop);
        File.WriteAllText(Path.Combine(_directory, "a-file"), "");
        var drop = caseName == "missing-drop" ? Path.Combine(_directory, "nowhere") : Drop;
        var output = caseName == "unwritable-output" ? Path.Combine(_directory, "a-file", "l1") : Output;
        var env = new Dictionary<string, string>();
        if (environment.Length > 0)
        {
            var parts = environment.Split('=', 2);
            env[parts[0]] = parts[1];
        }

        using var service = new ServiceProcess(env, "--drop", drop, "--output", output);
        var exitCode = await service.ExitAsync(60);

        Assert.Equal(1, exitCode);
        Assert.Contains(expected, service.Log, StringComparison.Ordinal);
        Assert.DoesNotContain(" at Microsoft.", service.Log, StringComparison.Ordinal); // one sentence, no stack trace
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static async Task WriteSlowlyAsync(string from, string to)
    {
        var bytes = await File.ReadAllBytesAsync(from);
        await using var stream = new FileStream(to, FileMode.CreateNew);
        var piece = (bytes.Length / 6) + 1;
        for (var offset = 0; offset < bytes.Length; offset += piece)
        {
            await stream.WriteAsync(bytes.AsMemory(offset, Math.Min(piece, bytes.Length - offset)));
            await stream.FlushAsync();
            await Task.Delay(300);
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, ServiceProcess service)
    {
        for (var i = 0; i < 1800 && !condition(); i++)
        {
            await Task.Delay(100);
        }

        Assert.True(condition(), "the service did not finish the scans. Log:\n" + service.Log);
    }

    private int SucceededCount() => CountStatus(ScanStatus.Succeeded);

    private int CountStatus(ScanStatus status)
    {
        var ledger = Path.Combine(Output, LedgerWriter.DefaultFileName);
        if (!File.Exists(ledger))
        {
            return 0;
        }

        using var reader = LedgerReader.Open(ledger);
        return reader.Scans(status).Count;
    }

    private void AssertSucceededOnce(int scans)
    {
        using var reader = LedgerReader.Open(Path.Combine(Output, LedgerWriter.DefaultFileName));
        var rows = reader.Scans();
        Assert.Equal(scans, rows.Count);
        Assert.All(rows, r => Assert.Equal(ScanStatus.Succeeded, r.Status));
        Assert.All(reader.Attempts().Where(a => a.Status == ScanStatus.Succeeded).GroupBy(a => a.RowId), g => Assert.Single(g));
        Assert.Equal(scans, Directory.GetFiles(Output, "*.l1.h5").Length);
        Assert.Empty(Directory.GetFiles(Output, "*" + L1FileNaming.TemporarySuffix));
    }

    private void Simulate(int scans, int pixels = 2, int channels = 64, int onDumps = 20, int offDumps = 11)
    {
        var result = ScanflowProcess.Run(
            "simulate", "--output", Source, "--scans", scans.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--pixels", pixels.ToString(System.Globalization.CultureInfo.InvariantCulture), "--channels", channels.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--on-dumps", onDumps.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--off-dumps", offDumps.ToString(System.Globalization.CultureInfo.InvariantCulture), "--no-noise");
        Assert.True(result.ExitCode == 0, result.Errors);
    }
}

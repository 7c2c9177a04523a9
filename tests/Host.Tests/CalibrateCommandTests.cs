using System.Diagnostics;
using Scanflow.Engine.Formats;

namespace Scanflow.Host.Tests;

public sealed class CalibrateCommandTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "scanflow-host-tests", Guid.NewGuid().ToString("N"));

    private string Store => Path.Combine(_directory, "store");

    private string Output => Path.Combine(_directory, "l1");

    [Fact]
    public void Calibrate_a_store_with_bad_files_calibrates_the_good_ones_and_explains_each_bad_one()
    {
        Simulate("--scans", "3");
        Simulate("--scans", "1", "--band", "HFA", "--first-scan-id", "50", "--start-mjd", "61368");
        Damage(
            """
            import h5py, numpy as np, os, shutil, sys
            os.chdir(sys.argv[1])
            shutil.copy('scan_000002_LFA_tp.h5', 'truncated.h5')
            os.truncate('truncated.h5', os.path.getsize('truncated.h5') // 2)
            shutil.copy('scan_000003_LFA_tp.h5', 'no_mode.h5')
            with h5py.File('no_mode.h5', 'r+') as f:
                del f.attrs['obs_mode']; f.attrs['scan_id'] = 900
            with h5py.File('scan_000050_HFA_cal.h5', 'r+') as f:
                f['hot/counts'][...] = np.nan
            os.makedirs('late', exist_ok=True)
            shutil.copy('scan_000004_LFA_tp.h5', 'late/orphan.h5')
            with h5py.File('late/orphan.h5', 'r+') as f:
                f.attrs['scan_id'] = 901; f.attrs['start_mjd'] = 61370.0
            open('observing-log.txt', 'w').write('not a scan')
            os.symlink('/nonexistent/scan_000099_LFA_tp.h5', 'unreadable.h5')
            """);

        var result = ScanflowProcess.Run("calibrate", Store, "--output", Output);

        Assert.Equal(2, result.ExitCode);
        // Each good scan's L1 file, QA file and five plots (issue 14); nothing of the bad ones.
        Assert.Equal(
            [
                "failures.json",
                "scan_000002_LFA.l1.h5", "scan_000002_LFA.pwvfit.png", "scan_000002_LFA.qa.json", "scan_000002_LFA.radiometer.png",
                "scan_000002_LFA.spectrum.png", "scan_000002_LFA.tsys.png", "scan_000002_LFA.waterfall.png",
                "scan_000003_LFA.l1.h5", "scan_000003_LFA.pwvfit.png", "scan_000003_LFA.qa.json", "scan_000003_LFA.radiometer.png",
                "scan_000003_LFA.spectrum.png", "scan_000003_LFA.tsys.png", "scan_000003_LFA.waterfall.png",
                "scan_000004_LFA.l1.h5", "scan_000004_LFA.pwvfit.png", "scan_000004_LFA.qa.json", "scan_000004_LFA.radiometer.png",
                "scan_000004_LFA.spectrum.png", "scan_000004_LFA.tsys.png", "scan_000004_LFA.waterfall.png",
                "scanflow-ledger.sqlite", "scanflow-ledger.sqlite-reserve",
            ],
            Directory.GetFiles(Output).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var failures = FailureReport.Load(Output).Failures.ToDictionary(f => Path.GetFileName(f.File));
        Assert.Equal(5, failures.Count);
        Assert.Contains("symbolic link to /nonexistent/scan_000099_LFA_tp.h5, which does not exist", failures["unreadable.h5"].Reason, StringComparison.Ordinal);
        Assert.Contains("truncated", failures["truncated.h5"].Reason, StringComparison.Ordinal);
        Assert.Contains("attribute 'obs_mode'", failures["no_mode.h5"].Reason, StringComparison.Ordinal);
        Assert.Contains("no calibration scan for LFA LO 475.000 GHz USB within 30 min of scan 901", failures["orphan.h5"].Reason, StringComparison.Ordinal);
        var nan = failures["scan_000051_HFA_tp.h5"];
        Assert.Equal(("load", 50L), (nan.Stage, nan.CalibrationScanId!.Value));
        Assert.Contains("scan_000050_HFA_cal.h5: /hot/counts", nan.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Calibrate_a_clean_store_exits_0_with_an_empty_failure_list()
    {
        Simulate("--scans", "2", "--mode", "OTF", "--layout", "chunked");

        var result = ScanflowProcess.Run("calibrate", Store, "--output", Output, "--chunk-mb", "0.01", "--parallelism", "prepare=3");

        Assert.True(result.ExitCode == 0, result.Output + result.Errors);
        Assert.Equal(0, FailureReport.Load(Output).Failed);
        Assert.Equal(2, Directory.GetFiles(Output, "*.l1.h5").Length);
    }

    [Fact]
    public void Dry_run_prints_the_plan_and_writes_nothing()
    {
        Simulate("--scans", "2");

        var result = ScanflowProcess.Run("calibrate", Store, "--output", Output, "--dry-run", "--select", "scan=3");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("1 science scans to calibrate with 1 calibration scans; 0 failed; 1 not selected", result.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Output));
    }

    [Fact]
    public void Select_calibrates_only_the_chosen_band()
    {
        Simulate("--scans", "1");
        Simulate("--scans", "1", "--band", "HFA", "--first-scan-id", "50");

        var result = ScanflowProcess.Run("calibrate", Store, "--output", Output, "--select", "band=HFA");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["scan_000051_HFA.l1.h5"], Directory.GetFiles(Output, "*.l1.h5").Select(Path.GetFileName));
    }

    [Theory]
    [InlineData("--parallelism", "prepare=0", "--parallelism 'prepare=0' is not valid")]
    [InlineData("--select", "band=CFA", "band=CFA")]
    [InlineData("--max-calibration-age", "-5", "--max-calibration-age must be a positive number of minutes")]
    public void Bad_usage_exits_1_with_one_sentence(string option, string value, string expected)
    {
        Simulate("--scans", "1");

        var result = ScanflowProcess.Run("calibrate", Store, "--output", Output, option, value);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(expected, result.Errors, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Output));
    }

    [Fact]
    public void A_missing_input_is_bad_usage()
    {
        var result = ScanflowProcess.Run("calibrate", Path.Combine(_directory, "nowhere"), "--output", Output);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("nowhere", result.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SIGTERM_mid_run_cancels_in_flight_scans_without_partial_files()
    {
        Simulate("--scans", "6", "--pixels", "16", "--channels", "8192", "--on-dumps", "300", "--no-noise");
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "scanflow.dll"), "calibrate", Store, "--output", Output, "--grace", "0", "--chunk-mb", "1"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        // The first temporary L1 file means the first scan is being written: stop there.
        while (!Directory.Exists(Output) || !Directory.EnumerateFiles(Output, "*" + L1FileNaming.TemporarySuffix).Any())
        {
            if (process.HasExited)
            {
                Assert.Fail("scanflow finished before it could be stopped: " + await output + await errors);
            }

            await Task.Delay(10);
        }

        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            kill.WaitForExit();
        }

        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), "scanflow did not stop after SIGTERM");
        var log = await output;
        Assert.Matches(@"scan \d+: (cancelled|not started)", log);
        Assert.DoesNotContain("FAILED", log, StringComparison.Ordinal);
        Assert.InRange(process.ExitCode, 1, 2);
        Assert.DoesNotContain(Directory.GetFiles(Output), f => f.EndsWith(L1FileNaming.TemporarySuffix, StringComparison.Ordinal));
        var calibrated = log.Split('\n').Count(l => l.Contains("calibrated →", StringComparison.Ordinal));
        Assert.Equal(calibrated, Directory.GetFiles(Output, "*.l1.h5").Length);
        Assert.True(calibrated < 6, "every scan finished; the signal came too late to test cancellation");
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private void Simulate(params string[] args)
    {
        string[] small = [.. args.Contains("--pixels") ? [] : new[] { "--pixels", "2" }, .. args.Contains("--channels") ? [] : new[] { "--channels", "64" }];
        var result = ScanflowProcess.Run(["simulate", "--output", Store, .. small, .. args]);
        Assert.True(result.ExitCode == 0, result.Errors);
    }

    private void Damage(string script) => StoreDamage.Apply(_directory, Store, script);
}

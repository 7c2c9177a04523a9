using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Scanflow.Engine.Formats;
using Scanflow.Engine.Ledger;

namespace Scanflow.Host.Tests;

/// <summary>Issue 10, item 1: a full output disk, a real tmpfs that fills up under the real <c>scanflow</c>. A batch run
/// ends promptly with exit 2 and one sentence, its ledger consistent, and a rerun after the disk has grown finishes every
/// scan once; the service pauses intake below its floor and resumes by itself when the disk grows, losing nothing.</summary>
public sealed partial class OutputDiskFullTests : IDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private static readonly Dictionary<string, string> AllPaired = new() { ["SCANFLOW__MaxCalibrationAgeMinutes"] = "600" };

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "scanflow-host-tests", Guid.NewGuid().ToString("N"));

    private readonly Tmpfs _disk = new(megabytes: 20);

    private string Store => Path.Combine(_directory, "store");

    private string Output => Path.Combine(_disk.MountPoint, "l1");

    private string Ledger => Path.Combine(Output, LedgerWriter.DefaultFileName);

    /// <summary>The issue's reproduction: 20 scans of 1.7 MB products into 20 MB. Before, the run hung at "5/15 scans"
    /// with scans left RUNNING, and a rerun crashed.</summary>
    [Fact]
    public void Calibrate_on_a_full_disk_ends_with_exit_2_and_one_sentence_and_after_the_disk_grows_a_rerun_finishes_every_scan_once_10()
    {
        Simulate("--scans", "20", "--pixels", "4", "--channels", "1024");

        var watch = Stopwatch.StartNew();
        var full = ScanflowProcess.Run(AllPaired, "calibrate", Store, "--output", Output);
        var took = watch.Elapsed;

        AssertEndsWithOneSentence(full);
        Assert.True(took < TimeSpan.FromMinutes(1), $"calibrate on a full disk took {took}");
        Assert.Contains("the run stopped taking scans", full.Errors, StringComparison.Ordinal);
        // The disk fills while a product is written (the usual case: those scans failed in write and the ledger says
        // so) or, less often, while the ledger claims the next scan, which then was not started.
        var failed = AssertConsistentLedger();
        Assert.All(failed, r => Assert.StartsWith("output disk full (", r.Error, StringComparison.Ordinal));
        var failedInWrite = WriteFailure().Matches(full.Output).Select(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
        Assert.Equal(failed.Select(r => r.ScanId).Order(), failedInWrite.Order());
        Assert.DoesNotContain(": FAILED in -", full.Output, StringComparison.Ordinal);
        // failures.json is written (the ledger's reserve makes room for it) and names the scans the disk stopped.
        var reported = FailureReport.Load(Output).Failures.Where(f => f.Reason.StartsWith("output disk full (", StringComparison.Ordinal)).Select(f => f.ScanId).ToHashSet();
        Assert.All(failed, r => Assert.Contains(r.ScanId, reported));

        var stillFull = ScanflowProcess.Run(AllPaired, "calibrate", Store, "--output", Output);
        AssertEndsWithOneSentence(stillFull);
        AssertConsistentLedger();

        _disk.Grow(megabytes: 80);
        var rerun = ScanflowProcess.Run(AllPaired, "calibrate", Store, "--output", Output);
        Assert.True(rerun.ExitCode == 0, rerun.Output + rerun.Errors);
        AssertSucceededOnce(20);
        var verify = ScanflowProcess.Run("verify", Output);
        Assert.True(verify.ExitCode == 0, verify.Output + verify.Errors);
    }

    /// <summary>40 small scans (about 21 MB: an L1 file of 0.28 MB and 0.25 MB of QA files and plots each) into 32 MB, of
    /// which the ledger's reserve takes 4, with a floor of 18 MB: intake pauses once the products pass the floor, says so
    /// once, and resumes in the same process when the disk grows. The sizes leave room, above the floor, for the L1 files
    /// the Write and Record queues hold while Record draws its first plots (26 × 0.28 MB), so some scans are done before
    /// the pause; and the floor holds what the scans in flight still write after it (32 × 0.53 MB), so the disk never fills.</summary>
    [Fact]
    public async Task Run_pauses_intake_below_its_floor_and_resumes_by_itself_when_the_disk_grows_losing_nothing_10()
    {
        _disk.Grow(megabytes: 32);
        Simulate("--scans", "40", "--pixels", "4", "--channels", "1024", "--on-dumps", "10");
        var drop = Path.Combine(_directory, "drop");
        Directory.CreateDirectory(drop);
        var environment = new Dictionary<string, string>(AllPaired) { ["SCANFLOW__RescanSeconds"] = "1" };
        using var service = new ServiceProcess(environment, "--drop", drop, "--output", Output, "--settle-seconds", "0.5", "--min-free-space-mb", "18");
        var url = await service.MetricsUrlAsync();
        await service.WaitForAsync("watching");
        foreach (var file in Directory.GetFiles(Store, "*.h5"))
        {
            File.Copy(file, Path.Combine(drop, Path.GetFileName(file)));
        }

        await service.WaitForAsync("intake paused: output disk low (");
        Assert.Contains("below the floor of 18 MB, Scanflow:MinFreeSpaceMb", service.Log, StringComparison.Ordinal);
        var ready = await Http.GetAsync(new Uri(url, "/readyz"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.StartsWith("intake: paused: output disk low (", (await ready.Content.ReadAsStringAsync()).Trim(), StringComparison.Ordinal);
        var paused = await Http.GetStringAsync(url);
        Assert.Equal(1, Metric(paused, "scanflow_intake_paused"));
        Assert.Equal(18 << 20, Metric(paused, "scanflow_output_free_floor_bytes"));
        Assert.InRange(Metric(paused, "scanflow_output_free_bytes"), 1, 18 << 20);
        var calibratedWhilePaused = service.Count("calibrated →");
        Assert.True(calibratedWhilePaused is >= 1 and <= 39, $"{calibratedWhilePaused} scans calibrated when intake paused. Log:\n{service.Log}");

        _disk.Grow(megabytes: 80);
        await service.WaitForAsync("intake resumed: ");
        await service.WaitForAsync("calibrated →", count: 40);
        Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync(new Uri(url, "/readyz"))).StatusCode);
        Assert.Equal(0, Metric(await Http.GetStringAsync(url), "scanflow_intake_paused"));
        var (exitCode, _) = await service.TerminateAsync();

        Assert.Equal(0, exitCode);
        Assert.Equal(1, service.Count("watching")); // one process throughout: no restart
        Assert.Equal(1, service.Count("intake paused"));
        Assert.Equal(1, service.Count("intake resumed"));
        Assert.Equal(0, service.Count("FAILED"));
        AssertSucceededOnce(40);
    }

    public void Dispose()
    {
        _disk.Dispose();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    /// <summary>Exit 2 and one line on stderr, the disk-full sentence; no stack trace, no unhandled exception.</summary>
    private static void AssertEndsWithOneSentence(ScanflowProcess.Result result)
    {
        var lines = result.Errors.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(result.ExitCode == 2 && lines.Length == 1, $"exit {result.ExitCode}, stderr:\n{result.Errors}\nstdout:\n{result.Output}");
        Assert.StartsWith("scanflow calibrate: output disk full (", lines[0], StringComparison.Ordinal);
        Assert.Contains("free space on ", lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Output + result.Errors, StringComparison.Ordinal);
    }

    /// <summary>No scan left RUNNING, and every FAILED one failed for the disk and may be retried; returns those.</summary>
    private List<ScanRecord> AssertConsistentLedger()
    {
        using var reader = LedgerReader.Open(Ledger);
        var rows = reader.Scans();
        Assert.DoesNotContain(rows, r => r.Status == ScanStatus.Running);
        Assert.Empty(Directory.GetFiles(Output, "*" + L1FileNaming.TemporarySuffix));
        var failed = rows.Where(r => r.Status == ScanStatus.Failed).ToList();
        Assert.All(failed, r => Assert.Equal(FailureKind.Transient, r.FailureKind));
        return failed;
    }

    private void AssertSucceededOnce(int scans)
    {
        using var reader = LedgerReader.Open(Ledger);
        var rows = reader.Scans();
        Assert.Equal(scans, rows.Count);
        Assert.All(rows, r => Assert.Equal(ScanStatus.Succeeded, r.Status));
        Assert.All(reader.Attempts().Where(a => a.Status == ScanStatus.Succeeded).GroupBy(a => a.RowId), g => Assert.Single(g));
        Assert.Equal(scans, Directory.GetFiles(Output, "*.l1.h5").Length);
        Assert.Empty(Directory.GetFiles(Output, "*" + L1FileNaming.TemporarySuffix));
    }

    private static double Metric(string exposition, string name) =>
        double.Parse(
            exposition.Split('\n').Select(l => MetricLine().Match(l)).Single(m => m.Success && m.Groups[1].Value == name).Groups[2].Value,
            CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^scan (\d+): FAILED in write: output disk full \(", RegexOptions.Multiline)]
    private static partial Regex WriteFailure();

    [GeneratedRegex(@"^(\w+) (\S+)$")]
    private static partial Regex MetricLine();

    private void Simulate(params string[] args) => ScanflowProcess.Simulate(Store, ["--no-noise", .. args]);
}

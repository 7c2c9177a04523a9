using System.Text.RegularExpressions;
using Scanflow.Engine.Ledger;

namespace Scanflow.Host.Tests;

/// <summary>Issue 9: <c>scanflow calibrate --limit N</c> takes the first N science scans, in time order, that the ledger
/// does not hold as done with this configuration and this input file; <c>--dry-run</c> shows the cut.</summary>
public sealed partial class CalibrateLimitTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "scanflow-host-tests", Guid.NewGuid().ToString("N"));

    private string Store => Path.Combine(_directory, "store");

    private string Output => Path.Combine(_directory, "l1");

    [Fact]
    public void Limit_calibrates_a_store_a_few_scans_at_a_time_in_start_order_9()
    {
        // Scans 2-4 start at MJD 61367.0; scans 51-52 (with their own calibration, 50) half a day earlier.
        Simulate("--scans", "3");
        Simulate("--scans", "2", "--first-scan-id", "50", "--start-mjd", "61366.5");

        var plan = Calibrate("--limit", "2", "--dry-run");
        var dryRunWroteNothing = !Directory.Exists(Output);
        var first = Calibrate("--limit", "2");
        var second = Calibrate("--limit", "2");
        var third = Calibrate("--limit", "2");
        var nothingLeft = Calibrate("--limit", "2");

        Assert.Equal(0, plan.ExitCode);
        Assert.Equal([("51", "in this run"), ("52", "in this run"), ("2", "left for a later run"), ("3", "left for a later run"), ("4", "left for a later run")], Cut(plan.Output));
        Assert.Contains("2 science scans to calibrate with 2 calibration scans; 0 failed; 0 not selected; 0 already calibrated; 3 left for a later run (--limit 2)", plan.Output, StringComparison.Ordinal);
        Assert.True(dryRunWroteNothing);
        Assert.Equal([0, 0, 0, 0], new[] { first, second, third, nothingLeft }.Select(r => r.ExitCode));
        Assert.Equal(["51", "52"], Calibrated(first.Output));
        Assert.Equal(["2", "3"], Calibrated(second.Output));
        Assert.Equal(["4"], Calibrated(third.Output));
        Assert.Contains("--limit 2: 0 science scans in this run, 5 already calibrated, 0 left for a later run: nothing left to calibrate", nothingLeft.Output, StringComparison.Ordinal);
        using var reader = LedgerReader.Open(Path.Combine(Output, LedgerWriter.DefaultFileName));
        Assert.Equal(5, reader.Attempts().Count); // one each: a done scan is not taken again, not even to be skipped
    }

    [Fact]
    public void A_scan_is_not_done_for_another_configuration_or_a_rewritten_input_9()
    {
        Simulate("--scans", "3");
        Assert.Equal(0, Calibrate().ExitCode);
        File.SetLastWriteTimeUtc(Path.Combine(Store, "scan_000003_LFA_tp.h5"), DateTime.UtcNow.AddMinutes(1));

        var sameConfiguration = Calibrate("--limit", "5", "--dry-run");
        var otherConfiguration = Calibrate("--limit", "1", "--dry-run", "--jmode", "rj");

        Assert.Equal([("2", "already calibrated"), ("3", "in this run"), ("4", "already calibrated")], Cut(sameConfiguration.Output));
        Assert.Matches($@"limit: scan 2 LFA \(start MJD [\d.]+\): already calibrated: {Regex.Escape(Path.Combine(Output, "scan_000002_LFA.l1.h5"))}", sameConfiguration.Output);
        Assert.Equal([("2", "in this run"), ("3", "left for a later run"), ("4", "left for a later run")], Cut(otherConfiguration.Output));
        Assert.Contains("left for a later run: --limit 1 takes the first 1 not yet calibrated, in start order", otherConfiguration.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_limit_below_1_is_bad_usage_9()
    {
        var result = Calibrate("--limit", "0");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("scanflow calibrate: --limit must be at least 1 science scan (got 0)", result.Errors, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    /// <summary>The dry run's cut, one (scan, verdict) per science scan in the order printed.</summary>
    private static List<(string Scan, string Verdict)> Cut(string output) =>
        [.. CutLine().Matches(output).Select(m => (m.Groups[1].Value, m.Groups[2].Value))];

    private static List<string> Calibrated(string output) => [.. CalibratedLine().Matches(output).Select(m => m.Groups[1].Value)];

    [GeneratedRegex(@"^limit: scan (\d+) \w+ \(start MJD [\d.]+\): (in this run|already calibrated|left for a later run)", RegexOptions.Multiline)]
    private static partial Regex CutLine();

    [GeneratedRegex(@"^scan (\d+): calibrated →", RegexOptions.Multiline)]
    private static partial Regex CalibratedLine();

    private ScanflowProcess.Result Calibrate(params string[] args) => ScanflowProcess.Run(["calibrate", Store, "--output", Output, .. args]);

    private void Simulate(params string[] args)
    {
        var result = ScanflowProcess.Run(["simulate", "--output", Store, "--pixels", "2", "--channels", "64", "--on-dumps", "20", "--no-noise", .. args]);
        Assert.True(result.ExitCode == 0, result.Errors);
    }
}

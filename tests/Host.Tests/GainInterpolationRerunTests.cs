using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Scanflow.Engine.Formats;
using Scanflow.Engine.Ledger;

namespace Scanflow.Host.Tests;

/// <summary>Issue 13, against the real process: a rerun of <c>scanflow calibrate --gain-interpolation linear</c> on a store
/// whose later calibration scan (C₂, calibration.md §7.10) arrived after the first run recalibrates the scans that can
/// now have it with both calibrations, keeping their older products as <c>.v1</c>, and skips the rest.</summary>
public sealed partial class GainInterpolationRerunTests : IDisposable
{
    private const double StartMjd = 61367.0;

    /// <summary>The one HFA science scan; the others are LFA.</summary>
    private const long HfaScan = 8;

    private const double DriftPercentPer10Minutes = 10;

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "scanflow-host-tests", Guid.NewGuid().ToString("N"));

    private string Store => Path.Combine(_directory, "store");

    private string Output => Path.Combine(_directory, "l1");

    [Fact]
    public void A_rerun_after_the_later_calibration_arrived_recalibrates_the_affected_scans_with_both_and_skips_the_rest_13()
    {
        var (later, aside) = SimulateWithoutTheLaterCalibration();

        var first = Calibrate();
        var firstSha = ProductChecksums();
        var firstAttributes = ReadAttributes();
        File.Move(aside, later);
        var rerun = Calibrate();
        var rerunSha = ProductChecksums();
        var rerunAttributes = ReadAttributes();
        var third = Calibrate();

        // First run: C₂ is missing, so every scan is calibrated with C₁ alone and says why.
        Assert.True(first.ExitCode == 0, first.Output + first.Errors);
        Assert.Equal(["2", "4", "5", "8"], ScansWith(first.Output, "calibrated →"));
        Assert.Equal(["scan_000002_LFA.l1.h5", "scan_000004_LFA.l1.h5", "scan_000005_LFA.l1.h5", "scan_000008_HFA.l1.h5"], firstSha.Keys);
        foreach (var (scan, calibration) in new[] { (2L, 1L), (4L, 3L), (5L, 3L), (8L, 7L) })
        {
            var attributes = firstAttributes[Product(scan)];
            Assert.Equal([calibration], Ids(attributes));
            Assert.Equal("linear", attributes.GetProperty("gain_interpolation").GetString());
            Assert.EndsWith($"; calibrated with scan {calibration} alone", attributes.GetProperty("gain_interpolation_note").GetString(), StringComparison.Ordinal);
        }

        Assert.Equal(
            "no calibration scan for LFA LO 475.000 GHz USB starts within 30 min after the last ON dump of scan 4; calibrated with scan 3 alone",
            firstAttributes[Product(4)].GetProperty("gain_interpolation_note").GetString());
        Assert.Contains("(the next, scan 3, starts 59.", firstAttributes[Product(2)].GetProperty("gain_interpolation_note").GetString(), StringComparison.Ordinal);

        // Rerun with C₂ back: scans 4 and 5 are recalibrated with [3, 6], their older products kept byte for byte as .v1;
        // scan 2 (C₂ too late) and scan 8 (no HFA C₂) are skipped, their products untouched and not versioned.
        Assert.True(rerun.ExitCode == 0, rerun.Output + rerun.Errors);
        Assert.Equal(["4", "5"], ScansWith(rerun.Output, "calibrated →"));
        Assert.Equal(["2", "8"], ScansWith(rerun.Output, "skipped, already calibrated"));
        Assert.Contains("│ calibrated   │ 2 ", rerun.Output, StringComparison.Ordinal);
        Assert.Contains("│ skipped      │ 2 ", rerun.Output, StringComparison.Ordinal);
        Assert.Equal(
            [
                "scan_000002_LFA.l1.h5", "scan_000004_LFA.l1.h5", "scan_000004_LFA.v1.l1.h5", "scan_000005_LFA.l1.h5", "scan_000005_LFA.v1.l1.h5",
                "scan_000008_HFA.l1.h5",
            ],
            rerunSha.Keys);
        string[] calibrationSha = [FileChecksum.Sha256(Path.Combine(Store, "scan_000003_LFA_cal.h5")), FileChecksum.Sha256(later)];
        foreach (var scan in new[] { 4L, 5L })
        {
            Assert.Equal(firstSha[Product(scan)], rerunSha[Product(scan, version: 1)]);
            Assert.NotEqual(firstSha[Product(scan)], rerunSha[Product(scan)]);
            var attributes = rerunAttributes[Product(scan)];
            Assert.Equal([3L, 6L], Ids(attributes));
            Assert.Equal(calibrationSha, attributes.GetProperty("calibration_input_sha256").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal("linear", attributes.GetProperty("gain_interpolation").GetString());
            Assert.False(attributes.TryGetProperty("gain_interpolation_note", out _), Product(scan));

            // §7.10: T_A*(C₁ alone) / T_A*(C₁, C₂) = D(t)/D₁ · T_cal,1/T_cal(t). With the injected drift, linear in time,
            // that is 1 + drift · (t − t₁) at each ON dump: the new product follows the gain between the two calibrations.
            // Within 2 % of the effect: second-order terms (the gain at t₁ is not 1) and C₂'s own T_cal.
            foreach (var (seconds, ratio) in DriftRatios(Product(scan, version: 1), Product(scan)))
            {
                var expected = DriftPercentPer10Minutes / 100 * seconds / 600;
                Assert.True(Math.Abs(ratio - 1 - expected) <= 0.02 * expected, $"scan {scan}, {seconds} s after t₁: ratio {ratio}, expected 1 + {expected}");
            }
        }

        foreach (var scan in new[] { 2L, 8L })
        {
            Assert.Equal(firstSha[Product(scan)], rerunSha[Product(scan)]);
        }

        using (var reader = LedgerReader.Open(Path.Combine(Output, LedgerWriter.DefaultFileName)))
        {
            var rows = reader.Scans().ToDictionary(r => r.ScanId);
            Assert.Equal([2L, 4L, 5L, 8L], rows.Keys.Order());
            Assert.All(rows.Values, r => Assert.Equal(ScanStatus.Succeeded, r.Status));
            Assert.All(rows.Values, r => Assert.Equal(rerunSha[Path.GetFileName(r.L1Path)], r.L1Sha256));
            Assert.Equal([1L], rows[2].CalibrationScanIds);
            Assert.Equal([3L, 6L], rows[4].CalibrationScanIds);
            Assert.Equal([3L, 6L], rows[5].CalibrationScanIds);
            Assert.Equal([7L], rows[8].CalibrationScanIds);
        }

        // A third run with nothing new changes nothing.
        Assert.True(third.ExitCode == 0, third.Output + third.Errors);
        Assert.Empty(ScansWith(third.Output, "calibrated →"));
        Assert.Equal(["2", "4", "5", "8"], ScansWith(third.Output, "skipped, already calibrated"));
        Assert.Contains("│ calibrated   │ 0 ", third.Output, StringComparison.Ordinal);
        Assert.Contains("│ skipped      │ 4 ", third.Output, StringComparison.Ordinal);
        Assert.Equal(rerunSha, ProductChecksums());
        using var ledger = LedgerReader.Open(Path.Combine(Output, LedgerWriter.DefaultFileName));
        var attempts = ledger.Attempts().GroupBy(a => a.ScanId).ToDictionary(g => g.Key, g => g.Select(a => a.Status).ToArray());
        ScanStatus[] recalibrated = [ScanStatus.Succeeded, ScanStatus.Succeeded, ScanStatus.Skipped];
        ScanStatus[] skipped = [ScanStatus.Succeeded, ScanStatus.Skipped, ScanStatus.Skipped];
        Assert.Equal([skipped, recalibrated, recalibrated, skipped], attempts.OrderBy(a => a.Key).Select(a => a.Value));
    }

    /// <summary><c>--limit</c> counts a scan as done only when its product was made with the calibrations this plan pairs
    /// it with: scans 4 and 5, made with C₁ alone before C₂ arrived, are taken again; 2 and 8 are done.</summary>
    [Fact]
    public void A_limited_rerun_takes_the_scans_whose_later_calibration_arrived_13()
    {
        var (later, aside) = SimulateWithoutTheLaterCalibration();
        Assert.Equal(0, Calibrate().ExitCode);
        File.Move(aside, later);

        var limited = Calibrate("--limit", "5");

        Assert.True(limited.ExitCode == 0, limited.Output + limited.Errors);
        Assert.Contains("--limit 5: 2 science scans in this run, 2 already calibrated, 0 left for a later run", limited.Output, StringComparison.Ordinal);
        Assert.Equal(["4", "5"], ScansWith(limited.Output, "calibrated →"));
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    /// <summary>The store of both tests, with C₂ of scans 4 and 5 (scan 6) moved aside: returns its place in the store
    /// and aside.</summary>
    private (string Later, string Aside) SimulateWithoutTheLaterCalibration()
    {
        // LFA scan 2 with calibration 1; the next LFA calibration, 3, starts an hour later: beyond the 30 min maximum age.
        Simulate("--first-scan-id", "1", "--scans", "1", "--start-mjd", Mjd(minutes: 0));
        // LFA scans 4 and 5 between calibrations 3 and 6 (--calibration-after), the gain drifting 10 % per 10 min.
        Simulate("--first-scan-id", "3", "--scans", "2", "--calibration-after", "--gain-drift", DriftPercentPer10Minutes.ToString(CultureInfo.InvariantCulture), "--start-mjd", Mjd(minutes: 60));
        // HFA scan 8 with calibration 7, and no later HFA calibration at all.
        Simulate("--band", "HFA", "--first-scan-id", "7", "--scans", "1", "--start-mjd", Mjd(minutes: 60));
        var later = Path.Combine(Store, "scan_000006_LFA_cal.h5");
        var aside = Path.Combine(_directory, "scan_000006_LFA_cal.h5");
        File.Move(later, aside);
        return (later, aside);
    }

    private static string Mjd(double minutes) => (StartMjd + (minutes / 1440.0)).ToString("R", CultureInfo.InvariantCulture);

    private static string Product(long scan, int? version = null) =>
        $"scan_{scan:D6}_{(scan == HfaScan ? "HFA" : "LFA")}{(version is { } v ? $".v{v}" : "")}.l1.h5";

    private static long[] Ids(JsonElement attributes) => [.. attributes.GetProperty("calibration_scan_ids").EnumerateArray().Select(e => e.GetInt64())];

    /// <summary>The scan ids of the per-scan lines "scan N: calibrated →" or "scan N: skipped, …", in id order.</summary>
    private static string[] ScansWith(string output, string what) =>
        [.. ScanLine().Matches(output).Where(m => m.Groups[2].Value.StartsWith(what, StringComparison.Ordinal)).Select(m => m.Groups[1].Value).Order(StringComparer.Ordinal)];

    [GeneratedRegex(@"^scan (\d+): (.*)$", RegexOptions.Multiline)]
    private static partial Regex ScanLine();

    private SortedDictionary<string, string> ProductChecksums() =>
        new(Directory.GetFiles(Output, "*.l1.h5").ToDictionary(f => Path.GetFileName(f), FileChecksum.Sha256), StringComparer.Ordinal);

    private ScanflowProcess.Result Calibrate(params string[] options) =>
        ScanflowProcess.Run(["calibrate", Store, "--output", Output, "--gain-interpolation", "linear", .. options]);

    private void Simulate(params string[] options) =>
        ScanflowProcess.Simulate(Store, ["--pixels", "2", "--channels", "256", "--on-dumps", "10", "--off-dumps", "3", "--no-noise", .. options]);

    /// <summary>The root attributes of every L1 product in the output, by file name, read with h5py.</summary>
    private Dictionary<string, JsonElement> ReadAttributes()
    {
        const string Script = """
            import glob, h5py, json, os, sys
            def plain(v):
                v = v.tolist() if hasattr(v, 'tolist') else v
                return [plain(x) for x in v] if isinstance(v, list) else (v.decode() if isinstance(v, bytes) else v)
            products = {}
            for path in sorted(glob.glob(os.path.join(sys.argv[1], '*.l1.h5'))):
                with h5py.File(path, 'r') as f:
                    products[os.path.basename(path)] = {k: plain(v) for k, v in f.attrs.items()}
            print(json.dumps(products))
            """;
        using var document = JsonDocument.Parse(Python(Script, Output));
        return document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone());
    }

    /// <summary>Per ON dump: seconds after t₁ (the mean MJD of C₁'s sky dumps, C₁ the first calibration_scan_id) and the
    /// ratio of <paramref name="withOne"/>'s T_A* to <paramref name="withBoth"/>'s in the brightest channel, summed over
    /// pixels; read with h5py.</summary>
    private (double Seconds, double Ratio)[] DriftRatios(string withOne, string withBoth)
    {
        const string Script = """
            import glob, h5py, json, os, sys
            import numpy as np
            output, store, one, both = sys.argv[1:5]
            with h5py.File(os.path.join(output, one), 'r') as a, h5py.File(os.path.join(output, both), 'r') as b:
                c1 = int(b.attrs['calibration_scan_ids'][0])
                with h5py.File(glob.glob(os.path.join(store, f'scan_{c1:06d}_*_cal.h5'))[0], 'r') as c:
                    t1 = float(c['sky/mjd'][:].mean())
                ta_one, ta_both = a['ta_star'][:].astype(float), b['ta_star'][:].astype(float)
                channel = int(np.nanargmax(np.nanmean(ta_both, axis=(0, 1))))
                ratio = ta_one[:, :, channel].sum(axis=1) / ta_both[:, :, channel].sum(axis=1)
                print(json.dumps([[(t - t1) * 86400.0, r] for t, r in zip(b['mjd'][:].tolist(), ratio.tolist())]))
            """;
        using var document = JsonDocument.Parse(Python(Script, Output, Store, withOne, withBoth));
        return [.. document.RootElement.EnumerateArray().Select(d => (d[0].GetDouble(), d[1].GetDouble()))];
    }

    private static string Python(string script, params string[] arguments)
    {
        // Debian's python3, which ./test.sh installs with h5py (a pyenv python3 may come first on PATH).
        using var process = Process.Start(new ProcessStartInfo("/usr/bin/python3", ["-c", script, .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, errors);
        return output.GetAwaiter().GetResult();
    }
}

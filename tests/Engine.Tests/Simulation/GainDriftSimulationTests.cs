using System.Text.RegularExpressions;
using Scanflow.Engine.Formats;
using Scanflow.Engine.Model;
using Scanflow.Engine.Planning;
using Scanflow.Engine.Simulation;

namespace Scanflow.Engine.Tests.Simulation;

/// <summary>Issue 13, item 7: the simulator's gain drift (calibration.md §3.2) and the calibration after the science scans.</summary>
public class GainDriftSimulationTests
{
    private const double DriftPercent = 3;

    [Fact]
    public void Gain_drift_scales_every_science_dump_by_the_linear_factor_at_its_own_mjd_13()
    {
        using var directory = new TempDirectory();
        var steady = ScanSimulator.Run(Small(directory.Combine("steady")));
        var drifting = ScanSimulator.Run(Small(directory.Combine("drifting")) with { GainDriftPercentPer10Minutes = DriftPercent });
        var reference = RawScanFile.ReadHeader(directory.Combine("drifting", drifting.Calibrations[0].File)).StartMjd;
        var receiver = drifting.Calibrations[0].Receiver;

        Assert.Equal(DriftPercent, receiver.GainDriftPercentPer10Minutes);
        Assert.Equal(reference, receiver.GainDriftReferenceMjd);
        Assert.Equal(0, steady.Calibrations[0].Receiver.GainDriftPercentPer10Minutes);
        var largest = 0.0;
        for (var s = 0; s < drifting.Science.Count; s++)
        {
            using var without = ScienceScanReader.Open(directory.Combine("steady", steady.Science[s].File));
            using var with = ScienceScanReader.Open(directory.Combine("drifting", drifting.Science[s].File));
            Assert.Equal(without.OnMjd, with.OnMjd);
            Assert.Equal(without.OffMjd, with.OffMjd);
            largest = Math.Max(largest, CheckRatios(without, with, with.OnMjd, reference, receiver, (r, d, b) => r.ReadOnDumps(d, 1, b)));
            largest = Math.Max(largest, CheckRatios(without, with, with.OffMjd, reference, receiver, (r, d, b) => r.ReadOffDumps(d, 1, b)));
        }

        // Three scans take over five minutes: the drift is large enough that a missing factor would fail above.
        Assert.True(largest > 1.01, $"the largest drift factor was only {largest}");
    }

    [Fact]
    public void Calibration_after_is_written_after_the_last_science_scan_and_the_planner_keeps_the_first_13()
    {
        using var directory = new TempDirectory();
        var options = Small(directory.Path) with { FirstScanId = 20, CalibrationAfter = true, GainDriftPercentPer10Minutes = DriftPercent };

        var truth = ScanSimulator.Run(options);

        Assert.Equal([20L, 24L], truth.Calibrations.Select(c => c.ScanId));
        Assert.Equal("scan_000024_LFA_cal.h5", truth.Calibrations[1].File);
        Assert.All(truth.Science, s => Assert.Equal(20, s.CalibrationScanId));
        var first = RawScanFile.ReadHeader(directory.Combine(truth.Calibrations[0].File));
        var after = RawScanFile.ReadHeader(directory.Combine(truth.Calibrations[1].File));
        Assert.Equal(ScanKind.Calibration, after.Kind);
        Assert.Equal(24, after.ScanId);
        Assert.Equal((first.Band, first.LoFrequencyHz, first.Sideband), (after.Band, after.LoFrequencyHz, after.Sideband));
        using (var last = ScienceScanReader.Open(directory.Combine(truth.Science[^1].File)))
        {
            var lastDumpEnd = last.OnMjd.Concat(last.OffMjd).Max() + (options.OnIntegration / 2 / 86400);
            Assert.True(after.StartMjd > last.OnMjd.Max(), "the calibration after starts before the last ON dump");
            Assert.Equal(10.0, (after.StartMjd - lastDumpEnd) * 86400, 3);
        }

        // Same loads and layout; its counts carry the gain at its own time, the mean of its dumps' factors.
        var firstLoads = CalibrationScanReader.Read(directory.Combine(truth.Calibrations[0].File));
        var afterLoads = CalibrationScanReader.Read(directory.Combine(truth.Calibrations[1].File));
        var receiver = truth.Calibrations[1].Receiver;
        var halfLoad = options.CalibrationDumps * options.CalibrationIntegrationSeconds / 2 / 86400;
        var expected = receiver.GainFactor(after.StartMjd + halfLoad) / receiver.GainFactor(first.StartMjd + halfLoad);
        Assert.True(expected > 1.005, $"the drift between the calibrations is only {expected}");
        for (var i = 0; i < firstLoads.Hot.Length; i++)
        {
            if (firstLoads.Hot[i] != 0)
            {
                Assert.Equal(expected, afterLoads.Hot[i] / firstLoads.Hot[i], 1e-6 * expected);
            }
        }

        var plan = StorePlanner.Plan([directory.Path], new PlanningOptions());

        Assert.Equal([21L, 22L, 23L], plan.Scans.Select(s => s.Science.ScanId));
        Assert.All(plan.Scans, s => Assert.Equal(20, s.Calibration.ScanId));
        Assert.Equal([20L, 24L], plan.Calibrations.Select(c => c.ScanId));
    }

    [Fact]
    public void Zero_gain_drift_writes_the_same_scans_as_the_default_options_13()
    {
        using var directory = new TempDirectory();
        var noisy = Small(directory.Combine("default")) with { Noise = true, Mode = ObsMode.OnTheFly };
        var truth = ScanSimulator.Run(noisy);
        ScanSimulator.Run(noisy with { OutputDirectory = directory.Combine("zero"), GainDriftPercentPer10Minutes = 0 });

        // Every dataset and attribute, byte for byte; the files differ only in HDF5's object modification times.
        var files = truth.Calibrations.Select(c => c.File).Concat(truth.Science.Select(s => s.File))
            .SelectMany(f => new[] { directory.Combine("default", f), directory.Combine("zero", f) })
            .ToArray();
        var output = PythonScript.Run(SameContents, files);
        Assert.Equal($"{files.Length / 2} files the same", output.Trim());
    }

    [Fact]
    public void A_truth_file_without_drift_reads_as_no_drift_13()
    {
        using var directory = new TempDirectory();
        ScanSimulator.Run(Small(directory.Path) with { Scans = 0, GainDriftPercentPer10Minutes = DriftPercent });
        var path = directory.Combine(SimulationTruth.FileName);
        var json = File.ReadAllText(path);
        var older = Regex.Replace(json, @"\s*""gain_drift_[a-z0-9_]+"": [^,\n]+,?", string.Empty);
        Assert.DoesNotContain("gain_drift", older, StringComparison.Ordinal);
        File.WriteAllText(path, older);

        var receiver = SimulationTruth.Load(directory.Path).Calibrations[0].Receiver;

        Assert.Equal(0, receiver.GainDriftPercentPer10Minutes);
        Assert.Equal(1.0, receiver.GainFactor(61367.5));
    }

    [Theory]
    [InlineData(-20.5)]
    [InlineData(21)]
    [InlineData(double.NaN)]
    public void Validate_names_gain_drift_out_of_range_13(double drift)
    {
        var problem = new SimulationOptions { OutputDirectory = ".", GainDriftPercentPer10Minutes = drift }.Validate();

        Assert.NotNull(problem);
        Assert.StartsWith("--gain-drift must be between -20 and 20 percent per 10 minutes", problem, StringComparison.Ordinal);
    }

    private static SimulationOptions Small(string directory) => new()
    {
        OutputDirectory = directory,
        Scans = 3,
        Pixels = 2,
        Channels = 32,
        OnDumps = 40,
        OffDumps = 5,
        OnIntegrationSeconds = 2,
        OffIntegrationSeconds = 2,
        Noise = false,
        Seed = 13,
    };

    /// <summary>Checks every dump's counts against the no-drift counts times 1 + drift/100·(t − t_ref)/600 s, computed
    /// here from the dump's written MJD, and that the truth's helper agrees; returns the largest factor seen.</summary>
    private static double CheckRatios(
        ScienceScanReader without, ScienceScanReader with, double[] mjd, double reference, ReceiverTruth receiver,
        Action<ScienceScanReader, int, float[]> read)
    {
        var a = new float[with.DumpLength];
        var b = new float[with.DumpLength];
        var largest = 0.0;
        for (var d = 0; d < mjd.Length; d++)
        {
            var expected = 1 + (DriftPercent / 100 * (mjd[d] - reference) * 86400 / 600);
            Assert.Equal(expected, receiver.GainFactor(mjd[d]), 1e-12);
            read(without, d, a);
            read(with, d, b);
            for (var i = 0; i < a.Length; i++)
            {
                if (a[i] != 0)
                {
                    Assert.Equal(expected, (double)b[i] / a[i], 1e-6 * expected);
                }
            }

            largest = Math.Max(largest, expected);
        }

        return largest;
    }

    private const string SameContents = """
        import sys, h5py, numpy as np
        def same(a, b, path):
            assert sorted(a.attrs.keys()) == sorted(b.attrs.keys()), path
            for k in a.attrs:
                x, y = np.asarray(a.attrs[k]), np.asarray(b.attrs[k])
                assert x.dtype == y.dtype and np.array_equal(x, y), (path, k)
            if isinstance(a, h5py.Dataset):
                assert a.dtype == b.dtype and a.shape == b.shape and a[()].tobytes() == b[()].tobytes(), path
                return
            assert sorted(a.keys()) == sorted(b.keys()), path
            for k in a:
                same(a[k], b[k], path + '/' + k)
        pairs = list(zip(sys.argv[1::2], sys.argv[2::2]))
        for x, y in pairs:
            with h5py.File(x, 'r') as a, h5py.File(y, 'r') as b:
                same(a, b, x)
        print(len(pairs), 'files the same')
        """;
}

using Scanflow.Engine.Formats;
using Scanflow.Engine.Model;
using Scanflow.Engine.Simulation;

namespace Scanflow.Host.Tests;

public sealed class SimulateCommandTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "scanflow-host-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public void Simulate_writes_one_calibration_and_N_science_scans_with_truth()
    {
        var result = ScanflowProcess.Run(
            "simulate", "--output", _directory, "--scans", "2", "--band", "HFA", "--mode", "OTF", "--pixels", "3", "--channels", "64",
            "--on-dumps", "20", "--off-dumps", "4", "--pwv", "0.8", "--elevation", "55", "--seed", "3", "--layout", "gzip", "--no-noise");

        Assert.True(result.ExitCode == 0, result.Errors);
        var truth = SimulationTruth.Load(_directory);
        Assert.False(truth.Noise);
        Assert.Equal(0.8, Assert.Single(truth.Calibrations).PwvMm);
        Assert.Equal(2, truth.Science.Count);
        var science = RawScanFile.ReadHeader(Path.Combine(_directory, truth.Science[1].File));
        Assert.Equal((Band.Hfa, ObsMode.OnTheFly, 3, 64, 20, 4), (science.Band, science.ObsMode!.Value, science.Pixels, science.Channels, science.OnDumps, science.OffDumps));
        Assert.Empty(Directory.GetFiles(_directory, "*" + RawScanWriter.PartialSuffix));
    }

    [Fact]
    public void Simulate_passes_gain_drift_and_calibration_after_to_the_simulator_13()
    {
        var result = ScanflowProcess.Run(
            "simulate", "--output", _directory, "--scans", "2", "--pixels", "2", "--channels", "32", "--on-dumps", "4", "--off-dumps", "2",
            "--first-scan-id", "5", "--gain-drift", "-2.5", "--calibration-after", "--no-noise");

        Assert.True(result.ExitCode == 0, result.Errors);
        var truth = SimulationTruth.Load(_directory);
        Assert.Equal([5L, 8L], truth.Calibrations.Select(c => c.ScanId));
        Assert.All(truth.Calibrations, c => Assert.Equal(-2.5, c.Receiver.GainDriftPercentPer10Minutes));
        var after = RawScanFile.ReadHeader(Path.Combine(_directory, truth.Calibrations[1].File));
        Assert.Equal(ScanKind.Calibration, after.Kind);
        Assert.True(File.Exists(Path.Combine(_directory, "scan_000008_LFA_cal.h5")));
    }

    [Theory]
    [InlineData("--pixels", "0", "--pixels must be between 1 and 1024")]
    [InlineData("--gain-drift", "25", "--gain-drift must be between -20 and 20 percent per 10 minutes")]
    [InlineData("--pwv", "9", "--pwv must be between 0.01 and 5 mm")]
    [InlineData("--band", "XFA", "XFA")]
    public void Simulate_rejects_a_bad_option_with_one_sentence_and_exit_code_1(string option, string value, string expected)
    {
        var result = ScanflowProcess.Run("simulate", "--output", _directory, option, value);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(expected, result.Errors, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_directory, SimulationTruth.FileName)));
    }

    [Fact]
    public void Simulate_passes_the_noisy_pixel_and_the_spur_to_the_simulator_14()
    {
        var result = ScanflowProcess.Run(
            "simulate", "--output", _directory, "--scans", "2", "--pixels", "3", "--channels", "64", "--on-dumps", "6", "--off-dumps", "3",
            "--noisy-pixel", "2", "--noise-factor", "2.5", "--spur-pixel", "0", "--spur-amplitude", "30");

        Assert.True(result.ExitCode == 0, result.Errors);
        var truth = SimulationTruth.Load(_directory);
        Assert.Equal(2, truth.Science.Count);
        Assert.All(truth.Science, s =>
        {
            Assert.Equal((2, 2.5, 0, 9), (s.NoisyPixel!.Value, s.NoiseFactor, s.SpurPixel!.Value, s.SpurChannel!.Value));
            Assert.Equal(6, s.SpurAmplitudesSigma!.Length);
            Assert.All(s.SpurAmplitudesSigma, a => Assert.Equal(30, Math.Abs(a)));
            Assert.True(s.SpurSigmaK > 0);
        });
    }

    [Fact]
    public void Simulate_without_the_fault_options_records_no_faults_14()
    {
        var result = ScanflowProcess.Run(
            "simulate", "--output", _directory, "--scans", "1", "--pixels", "2", "--channels", "32", "--on-dumps", "4", "--off-dumps", "2");

        Assert.True(result.ExitCode == 0, result.Errors);
        var science = Assert.Single(SimulationTruth.Load(_directory).Science);
        Assert.Equal<(int?, double, int?, int?)>((null, 1.0, null, null), (science.NoisyPixel, science.NoiseFactor, science.SpurPixel, science.SpurChannel));
    }

    [Theory]
    [InlineData("--noisy-pixel 8", "--noisy-pixel must be a pixel index between 0 and 7 (got 8)")]
    [InlineData("--noisy-pixel 0 --noise-factor 0.5", "--noise-factor must be between 1 and 100 (got 0.5)")]
    [InlineData("--noisy-pixel 0 --no-noise", "--noisy-pixel scales the radiometer noise, so it cannot be combined with --no-noise")]
    [InlineData("--noise-factor 3", "--noise-factor needs --noisy-pixel")]
    [InlineData("--spur-pixel -1", "--spur-pixel must be a pixel index between 0 and 7 (got -1)")]
    [InlineData("--spur-pixel 1 --spur-amplitude 2000", "--spur-amplitude must be between 1 and 1000 (in units of sigma_pred) (got 2000)")]
    [InlineData("--spur-amplitude 50", "--spur-amplitude needs --spur-pixel")]
    public void Simulate_rejects_a_bad_fault_option_with_its_sentence_14(string options, string expected)
    {
        var result = ScanflowProcess.Run(["simulate", "--output", _directory, .. options.Split(' ')]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"scanflow simulate: {expected}", result.Errors, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_directory, SimulationTruth.FileName)));
    }

    /// <summary>A 400 MB scan needs no more memory than a 20 MB one: the simulator streams dump blocks.</summary>
    [Fact]
    public void Simulate_streams_large_scans_in_bounded_memory()
    {
        var small = ScanflowProcess.RunMeasured(Args("small", onDumps: 40));
        var large = ScanflowProcess.RunMeasured(Args("large", onDumps: 800));

        Assert.True(small.ExitCode == 0 && large.ExitCode == 0, small.Errors + large.Errors);
        Assert.True(new FileInfo(Path.Combine(_directory, "large", "scan_000002_LFA_tp.h5")).Length > 400_000_000);
        Assert.True(
            large.PeakRssBytes < small.PeakRssBytes + (64L << 20),
            $"peak RSS {large.PeakRssBytes >> 20} MiB for 400 MB vs {small.PeakRssBytes >> 20} MiB for 20 MB");
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private string[] Args(string name, int onDumps) =>
        ["simulate", "--output", Path.Combine(_directory, name), "--scans", "1", "--pixels", "16", "--channels", "8192", "--on-dumps", onDumps.ToString(System.Globalization.CultureInfo.InvariantCulture), "--off-dumps", "3", "--no-noise"];
}

using System.Globalization;
using Scanflow.Engine.Formats;
using Scanflow.Engine.Model;
using Scanflow.Engine.Simulation;

namespace Scanflow.Host;

/// <summary>The demo's second part (calibration.md §7.10): a noiseless night on a receiver whose gain drifts 3 % per
/// 10 min, with a calibration before and after the science scans, calibrated by <c>scanflow calibrate</c> with and
/// without gain interpolation; prints each scan's T_A* error against the injected truth both ways.</summary>
internal static class DriftingNightDemo
{
    private const double DriftPercentPer10Minutes = 3;

    public static async Task<bool> RunAsync(string directory)
    {
        var raw = Path.Combine(directory, "raw");
        Console.WriteLine($"A drifting receiver ({DriftPercentPer10Minutes} % per 10 min, noiseless): a calibration, 3 TP scans, a calibration, into {raw}");
        var truth = ScanSimulator.Run(new SimulationOptions
        {
            OutputDirectory = raw,
            Band = Band.Lfa,
            Mode = ObsMode.TotalPower,
            Scans = 3,
            Noise = false,
            Seed = 3,
            GainDriftPercentPer10Minutes = DriftPercentPer10Minutes,
            CalibrationAfter = true,
        });

        var products = new Dictionary<string, string>();
        foreach (var interpolation in new[] { "none", "linear" })
        {
            products[interpolation] = Path.Combine(directory, "l1-" + interpolation);
            var (exitCode, errors) = await SelfProcess.RunAsync("calibrate", raw, "--output", products[interpolation], "--gain-interpolation", interpolation);
            Console.WriteLine($"scanflow calibrate {raw} --output {products[interpolation]} --gain-interpolation {interpolation}: exit code {exitCode}");
            if (exitCode != 0)
            {
                await Console.Error.WriteLineAsync(errors);
                return false;
            }
        }

        Console.WriteLine("T_A* against the injected truth, largest and rms error over every sample:");
        Console.WriteLine($"{"scan",6} {"min after C1",12} {"max none",10} {"max linear",10} {"rms none",10} {"rms linear",10}");
        var calibrationStart = RawScanFile.ReadHeader(Path.Combine(raw, truth.Calibrations[0].File)).StartMjd;
        foreach (var product in Directory.GetFiles(products["none"], "*.l1.h5").Order(StringComparer.Ordinal))
        {
            var none = TruthComparison.Compare(product, truth);
            var linear = TruthComparison.Compare(Path.Combine(products["linear"], Path.GetFileName(product)), truth);
            var science = truth.Science.Single(s => s.ScanId == none.ScanId);
            var minutes = (RawScanFile.ReadHeader(Path.Combine(raw, science.File)).StartMjd - calibrationStart) * 1440;
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{none.ScanId,6} {minutes,12:F1} {Millikelvin(none.MaxAbsResidualK),10} {Millikelvin(linear.MaxAbsResidualK),10} {Millikelvin(none.RmsResidualK),10} {Millikelvin(linear.RmsResidualK),10}"));
        }

        return true;
    }

    private static string Millikelvin(double kelvin) => string.Create(CultureInfo.InvariantCulture, $"{kelvin * 1e3:F1} mK");
}

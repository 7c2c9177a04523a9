using System.CommandLine;
using System.Globalization;
using Scanflow.Engine.Formats;
using Scanflow.Engine.Model;
using Scanflow.Engine.Processing;
using Scanflow.Engine.Simulation;

namespace Scanflow.Host;

/// <summary><c>scanflow demo</c>: simulates a small night (LFA total power, HFA on-the-fly), calibrates every science
/// scan into L1 and compares the result with the injected truth.</summary>
internal static class DemoCommand
{
    private const string Marker = ".scanflow-demo";

    public static Command Create()
    {
        var output = new Option<DirectoryInfo>("--output")
        {
            Description = "Working directory for the demo (raw/ and l1/ inside it)",
            DefaultValueFactory = _ => new DirectoryInfo("demo-output"),
        };
        var command = new Command("demo", "Simulate a small store, calibrate it and compare with the truth") { output };
        command.SetAction(result => Run(result.GetValue(output)!.FullName));
        return command;
    }

    private static int Run(string directory)
    {
        if (Directory.Exists(directory) && Directory.EnumerateFileSystemEntries(directory).Any() && !File.Exists(Path.Combine(directory, Marker)))
        {
            Console.Error.WriteLine($"scanflow demo: {directory} exists and is not a demo directory; choose another --output");
            return 1;
        }

        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        var raw = Path.Combine(directory, "raw");
        var l1 = Path.Combine(directory, "l1");
        Directory.CreateDirectory(l1);
        File.WriteAllText(Path.Combine(directory, Marker), "scanflow demo working directory; safe to delete\n");

        Console.WriteLine($"Simulating raw scans into {raw}");
        ScanSimulator.Run(new SimulationOptions { OutputDirectory = raw, Band = Band.Lfa, Mode = ObsMode.TotalPower, Scans = 3, FirstScanId = 1, Seed = 1 });
        var truth = ScanSimulator.Run(new SimulationOptions
        {
            OutputDirectory = raw,
            Band = Band.Hfa,
            Mode = ObsMode.OnTheFly,
            Scans = 2,
            FirstScanId = 101,
            Seed = 2,
            OnDumps = 400,
            OffDumps = 10,
        });

        Console.WriteLine($"Calibrating into {l1}");
        var options = new CalibrationOptions();
        Console.WriteLine($"{"scan",6} {"band",4} {"mode",4} {"PWV fit",9} {"PWV true",9} {"peak T_A*",10} {"peak true",10} {"rms resid",10}  file");
        foreach (var science in truth.Science)
        {
            var calibrationTruth = truth.CalibrationOf(science);
            var calibration = CalibrationProducts.Compute(Path.Combine(raw, calibrationTruth.File), options);
            var product = ScienceScanCalibrator.Calibrate(Path.Combine(raw, science.File), calibration, options, l1, DateTimeOffset.UtcNow);
            var c = TruthComparison.Compare(product.Path, truth);
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{science.ScanId,6} {calibrationTruth.Band,4} {science.ObsMode,4} {c.PwvMm,9:F4} {c.TruePwvMm,9:F4} {c.PeakRecoveredK,10:F3} {c.PeakTruthK,10:F3} {c.RmsResidualK,10:F3}  {Path.GetFileName(product.Path)}"));
        }

        Console.WriteLine($"Done: {truth.Science.Count} L1 products in {l1} (format {L1Format.Name} v{L1Format.Version}); truth in {Path.Combine(raw, SimulationTruth.FileName)}");
        return 0;
    }
}

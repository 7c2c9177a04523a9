using System.CommandLine;
using System.Globalization;
using Scanflow.Blocks;
using Scanflow.Engine.Formats;
using Scanflow.Engine.Ledger;
using Scanflow.Engine.Model;
using Scanflow.Engine.Planning;
using Scanflow.Engine.Simulation;

namespace Scanflow.Host;

/// <summary><c>scanflow demo</c>: simulates a small night (LFA total power, HFA on-the-fly), calibrates every science
/// scan through the streaming graph (as <c>scanflow calibrate</c>) and compares the products with the injected truth.</summary>
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
        command.SetAction((result, cancellation) => RunAsync(result.GetValue(output)!.FullName));
        return command;
    }

    private static async Task<int> RunAsync(string directory)
    {
        if (Directory.Exists(directory) && Directory.EnumerateFileSystemEntries(directory).Any() && !File.Exists(Path.Combine(directory, Marker)))
        {
            await Console.Error.WriteLineAsync($"scanflow demo: {directory} exists and is not a demo directory; choose another --output");
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

        Console.WriteLine($"Calibrating {raw} into {l1} through the streaming graph");
        var exitCode = await CalibrateCommand.RunAsync(
            [raw], new PlanningOptions(), new PipelineOptions { OutputDirectory = l1 },
            new LedgerSettings(Path.Combine(l1, LedgerWriter.DefaultFileName), new LedgerOptions(), TimeSpan.FromSeconds(2)), dryRun: false, TimeSpan.FromSeconds(30));

        Console.WriteLine("Comparison with the injected truth:");
        Console.WriteLine($"{"scan",6} {"band",4} {"mode",4} {"PWV fit",9} {"PWV true",9} {"peak T_A*",10} {"peak true",10} {"rms resid",10}  file");
        foreach (var product in Directory.GetFiles(l1, "*.l1.h5").Order(StringComparer.Ordinal))
        {
            var c = TruthComparison.Compare(product, truth);
            var science = truth.Science.Single(s => s.ScanId == c.ScanId);
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{c.ScanId,6} {truth.CalibrationOf(science).Band,4} {science.ObsMode,4} {c.PwvMm,9:F4} {c.TruePwvMm,9:F4} {c.PeakRecoveredK,10:F3} {c.PeakTruthK,10:F3} {c.RmsResidualK,10:F3}  {Path.GetFileName(product)}"));
        }

        Console.WriteLine($"Done: {Directory.GetFiles(l1, "*.l1.h5").Length} L1 products in {l1} (format {L1Format.Name} v{L1Format.Version}); truth in {Path.Combine(raw, SimulationTruth.FileName)}");
        return exitCode;
    }
}

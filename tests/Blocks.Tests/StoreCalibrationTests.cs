using Scanflow.Engine.Formats;
using Scanflow.Engine.Model;
using Scanflow.Engine.Planning;
using Scanflow.Engine.Simulation;
using Scanflow.Engine.Tests;
using Scanflow.Engine.Tests.Processing;

namespace Scanflow.Blocks.Tests;

/// <summary>A mixed store — LFA and HFA, TP and OTF, three layouts, three calibration scans — planned and streamed
/// through the graph: every scan gets the right calibration and every product meets calibration.md §3.4.</summary>
public class StoreCalibrationTests
{
    [Fact]
    public async Task Every_product_of_a_mixed_store_meets_the_noiseless_tolerances()
    {
        using var directory = new TempDirectory();
        var raw = directory.Combine("raw");
        var output = directory.Combine("l1");
        SimulationOptions Run(Band band, ObsMode mode, RawLayout layout, long firstId, double startMjd, int seed) => new()
        {
            OutputDirectory = raw,
            Band = band,
            Mode = mode,
            Layout = layout,
            FirstScanId = firstId,
            StartMjd = startMjd,
            Seed = seed,
            Scans = 2,
            Pixels = 3,
            Channels = 512,
            OnDumps = 40,
            OffDumps = mode == ObsMode.TotalPower ? 5 : 8,
            Noise = false,
        };
        ScanSimulator.Run(Run(Band.Lfa, ObsMode.TotalPower, RawLayout.Contiguous, 1, 61367.0, 1));
        ScanSimulator.Run(Run(Band.Hfa, ObsMode.OnTheFly, RawLayout.Gzip, 100, 61367.0, 2));
        // 20 min later another LFA calibration: both it and scan 1 are within 30 min of these science scans, and the
        // latest one before them must be chosen (a different receiver, so the wrong one would show in T_A*).
        var truth = ScanSimulator.Run(Run(Band.Lfa, ObsMode.TotalPower, RawLayout.Chunked, 200, 61367.0 + (20.0 / 1440), 3));

        var plan = StorePlanner.Plan([raw], new PlanningOptions());
        var outcomes = new List<ScanOutcome>();
        using (var runner = new CalibrationRunner(new PipelineOptions { OutputDirectory = output, ChunkBytes = 16 << 10 }, NoScanLedger.Instance, outcomes.Add))
        {
            await runner.RunAsync(plan.Scans, CancellationToken.None);
        }

        Assert.Empty(plan.Excluded);
        Assert.Equal(6, outcomes.Count);
        foreach (var outcome in outcomes)
        {
            Assert.True(outcome.Status == ScanOutcomeStatus.Succeeded, $"scan {outcome.Scan.Science.ScanId}: {outcome.FailedStage}: {outcome.Error}");
            var science = truth.Science.Single(s => s.ScanId == outcome.Scan.Science.ScanId);
            Assert.Equal(science.CalibrationScanId, outcome.Scan.Calibration.ScanId);
            NoiselessTruth.AssertProduct(outcome.Product!.Path, truth);
        }

        Assert.Equal(6, Directory.GetFiles(output, "*.l1.h5").Length);
        Assert.Empty(Directory.GetFiles(output, "*" + L1FileNaming.TemporarySuffix));
    }
}

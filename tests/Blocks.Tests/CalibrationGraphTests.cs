using Scanflow.Engine.Formats;
using Scanflow.Engine.Formats.Hdf5;
using Scanflow.Engine.Model;
using Scanflow.Engine.Processing;
using Scanflow.Engine.Simulation;
using Scanflow.Engine.Tests;

namespace Scanflow.Blocks.Tests;

public class CalibrationGraphTests
{
    private static SimulationOptions Store(Band band = Band.Lfa, ObsMode mode = ObsMode.TotalPower, int scans = 2, long firstId = 1, int onDumps = 40) => new()
    {
        OutputDirectory = "set-by-GraphRun",
        Band = band,
        Mode = mode,
        Scans = scans,
        FirstScanId = firstId,
        Pixels = 3,
        Channels = 128,
        OnDumps = onDumps,
        OffDumps = mode == ObsMode.TotalPower ? 5 : 8,
        Noise = false,
    };

    [Fact]
    public async Task Graph_writes_the_same_products_as_the_library_path_with_chunks_kept_in_order()
    {
        using var run = new GraphRun(Store(), Store(Band.Hfa, ObsMode.OnTheFly, firstId: 100));

        // One dump per chunk and four Prepare workers: ordering within a scan is what keeps the file right.
        await run.RunAsync(run.Options(chunkBytes: 1024).WithStage(PipelineStage.Prepare, new StageOptions(4, 8)));

        Assert.Equal(4, run.Outcomes.Count);
        Assert.All(run.Outcomes, o => Assert.Equal(ScanOutcomeStatus.Succeeded, o.Status));
        var reference = Path.Combine(run.Raw, "reference");
        Directory.CreateDirectory(reference);
        foreach (var outcome in run.Outcomes)
        {
            var calibration = CalibrationProducts.Compute(outcome.Scan.Calibration.FilePath, new CalibrationOptions());
            var expected = ScienceScanCalibrator.Calibrate(outcome.Scan.Science.FilePath, calibration, new CalibrationOptions(), reference, outcome.Started);
            Assert.Equal(ReadTaStar(expected.Path), ReadTaStar(outcome.Product!.Path));
            Assert.Equal(FileChecksum.Sha256(outcome.Product.Path), outcome.Product.Sha256);
            Assert.Equal(outcome.Scan.Science.OnDumps * outcome.Scan.Science.DumpBytes, outcome.BytesRead);
        }
    }

    [Fact]
    public async Task Graph_without_prefetch_writes_the_same_products()
    {
        using var prefetching = new GraphRun(Store(scans: 2));
        using var sequential = new GraphRun(Store(scans: 2));

        await prefetching.RunAsync(prefetching.Options(chunkBytes: 4096));
        await sequential.RunAsync((sequential.Options(chunkBytes: 4096) with { Prefetch = false }).WithStage(PipelineStage.Prepare, new StageOptions(1, 1)));

        Assert.All(sequential.Outcomes, o => Assert.Equal(ScanOutcomeStatus.Succeeded, o.Status));
        foreach (var outcome in sequential.Outcomes)
        {
            var twin = prefetching.Outcomes.Single(o => o.Scan.Science.ScanId == outcome.Scan.Science.ScanId);
            Assert.Equal(ReadTaStar(twin.Product!.Path), ReadTaStar(outcome.Product!.Path));
        }
    }

    [Fact]
    public async Task Graph_completes_with_zero_scans()
    {
        using var run = new GraphRun(Store(scans: 0));

        await run.RunAsync(run.Options());

        Assert.Empty(run.Outcomes);
    }

    [Fact]
    public async Task A_chunk_that_cannot_be_read_fails_its_scan_only_and_leaves_no_file()
    {
        using var run = new GraphRun(Store(scans: 3) with { Layout = RawLayout.Gzip });
        var damaged = run.Scans[1].Science.FilePath;
        // Overwrite the compressed bytes of ON chunk 20 (of 40): the first chunks read fine, that one does not.
        PythonScript.Run(
            """
            import sys, h5py
            with h5py.File(sys.argv[1], 'r') as f:
                info = f['on/counts'].id.get_chunk_info(20)
            with open(sys.argv[1], 'r+b') as raw:
                raw.seek(info.byte_offset)
                raw.write(b'\xff' * info.size)
            """,
            damaged);

        await run.RunAsync(run.Options(chunkBytes: 1024 * 3 * 8));

        var failed = Assert.Single(run.Outcomes, o => o.Status == ScanOutcomeStatus.Failed);
        Assert.Equal(run.Scans[1], failed.Scan);
        Assert.Equal(PipelineStage.Load, failed.FailedStage);
        Assert.Contains(damaged, failed.Error, StringComparison.Ordinal);
        Assert.Contains("/on/counts", failed.Error, StringComparison.Ordinal);
        Assert.Equal(2, run.Outcomes.Count(o => o.Status == ScanOutcomeStatus.Succeeded));
        // The two good scans' L1 files, QA files and plots; nothing of the failed one, not even a plot drawn before its chunk failed.
        Assert.Equal(
            [.. ScanProductFiles.Of(run.Scans[0].Science.ScanId, run.Scans[0].Science.Band), .. ScanProductFiles.Of(run.Scans[2].Science.ScanId, run.Scans[2].Science.Band)],
            Directory.GetFiles(run.Output).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(Directory.GetFiles(run.Output), f => f.EndsWith(L1FileNaming.TemporarySuffix, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_bad_calibration_fails_every_scan_that_uses_it_with_its_reason()
    {
        using var run = new GraphRun(Store(scans: 2), Store(Band.Hfa, scans: 1, firstId: 100));
        var calibration = run.Scans[0].Calibration.FilePath;
        PythonScript.Run("import sys, h5py, numpy as np\nwith h5py.File(sys.argv[1], 'r+') as f:\n    f['hot/counts'][...] = np.nan\n", calibration);

        await run.RunAsync(run.Options());

        var failures = run.Outcomes.Where(o => o.Status == ScanOutcomeStatus.Failed).ToList();
        Assert.Equal(2, failures.Count);
        Assert.All(failures, f => Assert.Contains($"{calibration}: /hot/counts", f.Error, StringComparison.Ordinal));
        Assert.Equal(ScanOutcomeStatus.Succeeded, Assert.Single(run.Outcomes, o => o.Scan.Science.Band == Band.Hfa).Status);
    }

    [Fact]
    public async Task Cancellation_mid_scan_reports_cancelled_scans_and_leaves_no_partial_file()
    {
        using var run = new GraphRun(Store(scans: 3, onDumps: 400));
        using var stop = new CancellationTokenSource();
        using var runner = new CalibrationRunner(run.Options(chunkBytes: 1024 * 3 * 4).WithStage(PipelineStage.Write, new StageOptions(1, 1)), NoScanLedger.Instance, run.Outcomes.Add);
        var running = runner.RunAsync(run.Scans, stop.Token);
        while (runner.BytesRead == 0)
        {
            await Task.Delay(1);
        }

        stop.Cancel();
        await running;

        Assert.Equal(3, run.Outcomes.Count);
        Assert.Contains(run.Outcomes, o => o.Status == ScanOutcomeStatus.Cancelled);
        Assert.DoesNotContain(run.Outcomes, o => o.Status == ScanOutcomeStatus.Failed);
        // A scan that finished before the stop has its product with its QA files and plots (drawn before the run ends);
        // the cancelled ones leave nothing: no temporary file, no plot data.
        var succeeded = run.Outcomes.Count(o => o.Status == ScanOutcomeStatus.Succeeded);
        Assert.Equal(succeeded, Directory.GetFiles(run.Output, "*" + L1FileNaming.Extension).Length);
        Assert.Equal(succeeded * 7, Directory.GetFiles(run.Output).Length);
    }

    [Fact]
    public async Task A_fault_in_the_plumbing_faults_the_run_instead_of_hanging()
    {
        using var run = new GraphRun(Store(scans: 3));
        using var runner = new CalibrationRunner(run.Options(), NoScanLedger.Instance, _ => throw new InvalidOperationException("recorder bug"));

        var error = await Assert.ThrowsAnyAsync<Exception>(() => runner.RunAsync(run.Scans, CancellationToken.None));

        Assert.Contains("recorder bug", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Directory.GetFiles(run.Output), f => f.EndsWith(L1FileNaming.TemporarySuffix, StringComparison.Ordinal));
    }

    private static float[] ReadTaStar(string path)
    {
        using var file = Hdf5File.OpenRead(path);
        using var dataset = file.OpenDataset(L1Format.TaStarDataset);
        return dataset.ReadAll<float>();
    }
}

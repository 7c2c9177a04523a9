using System.Runtime.InteropServices;
using Scanflow.Engine.Formats;
using Scanflow.Engine.Tests.Processing;

namespace Scanflow.Blocks.Tests.Slurm;

public class ShardWorkerTests
{
    private static readonly Dictionary<string, string> Slurm = new()
    {
        ["SLURM_ARRAY_JOB_ID"] = "777",
        ["SLURM_ARRAY_TASK_ID"] = "0",
        ["SLURMD_NODENAME"] = "cn001",
    };

    [Fact]
    public async Task A_shard_makes_the_products_the_local_graph_makes_bit_for_bit()
    {
        using var store = new SlurmStore(scans: 3);
        var local = store.Combine("local");
        Directory.CreateDirectory(local);
        var options = new PipelineOptions { OutputDirectory = local, Calibration = store.Calibration, ChunkBytes = 1 << 10, MemoryLimitBytes = PipelineOptions.MinimumMemoryLimitBytes };
        using (var runner = new CalibrationRunner(options, NoScanLedger.Instance, _ => { }))
        {
            await runner.RunAsync(store.Scans, CancellationToken.None);
        }

        var output = store.Combine(SlurmStore.OddName, "l1");
        Directory.CreateDirectory(output);
        store.WritePlan(output);
        var log = new StringWriter();

        var exit = await Worker().RunAsync(store.PlanPath, 0, log, CancellationToken.None);

        Assert.True(exit == ShardWorker.Done, log.ToString());
        var results = SlurmResultFile.Read(SlurmResultFile.PathFor(store.PlanPath, 0));
        Assert.Equal([0, 1, 2], results.Select(r => r.Index).Order());
        foreach (var result in results)
        {
            var scan = store.Scans[result.Index];
            Assert.True(result.Status == ScanOutcomeStatus.Succeeded, $"scan {result.ScanId}: {result.FailedStage}: {result.Error}");
            Assert.Equal((scan.Science.ScanId, scan.Science.Band, 1), (result.ScanId, result.Band, result.Attempt));
            Assert.Equal(("777", 0, "cn001"), (result.JobId, result.TaskId, result.Node));
            Assert.True(result.ElapsedSeconds > 0 && result.CpuSeconds > 0 && result.MaxRssBytes > 0, "the task's usage is measured");
            var product = result.Product!;
            Assert.Equal(Path.Combine(output, Path.GetFileName(product.Path)), product.Path);
            Assert.Equal(FileChecksum.Sha256(product.Path), product.Sha256);
            Assert.Equal(new FileInfo(product.Path).Length, product.Bytes);
            Assert.True(File.Exists(result.PlotDataPath), result.PlotDataPath);
            Assert.All(result.QualityProducts, q => Assert.Equal(FileChecksum.Sha256(q.Path), q.Sha256));

            // The products record when they were made, so the files differ; what they hold must not.
            var mine = L1Snapshot.Read(product.Path);
            var theirs = L1Snapshot.Read(Path.Combine(local, Path.GetFileName(product.Path)));
            AssertBits(theirs.TaStar, mine.TaStar);
            AssertBits(theirs.Tsys, mine.Tsys);
            AssertBits(theirs.Trx, mine.Trx);
            Assert.Equal(theirs.DumpFlag, mine.DumpFlag);
            Assert.Equal(theirs.ChannelFlag, mine.ChannelFlag);
            Assert.Equal(BitConverter.DoubleToInt64Bits(theirs.PwvMm), BitConverter.DoubleToInt64Bits(mine.PwvMm));
        }

        Assert.Equal(3, log.ToString().Split('\n').Count(l => l.Contains(": SUCCEEDED in ", StringComparison.Ordinal)));
        Assert.Empty(Directory.GetFiles(output, "*" + L1FileNaming.TemporarySuffix));
    }

    [Fact]
    public async Task A_rerun_of_the_task_skips_the_scans_it_already_did_for_the_same_attempt()
    {
        using var store = new SlurmStore(scans: 3);
        var output = store.Combine("l1");
        Directory.CreateDirectory(output);
        store.WritePlan(output);
        var resultPath = SlurmResultFile.PathFor(store.PlanPath, 0);
        Assert.Equal(ShardWorker.Done, await Worker().RunAsync(store.PlanPath, 0, TextWriter.Null, CancellationToken.None));
        var first = SlurmResultFile.Read(resultPath);

        // SLURM requeued the task after it had finished two scans and torn its third line.
        var lines = File.ReadAllLines(resultPath);
        File.WriteAllText(resultPath, lines[0] + "\n" + lines[1] + "\n" + lines[2][..10]);
        var rerunProduct = first.Single(r => r.Index == IndexOf(lines[2])).Product!.Path;
        File.Delete(rerunProduct);
        var log = new StringWriter();

        Assert.Equal(ShardWorker.Done, await Worker().RunAsync(store.PlanPath, 0, log, CancellationToken.None));

        var second = SlurmResultFile.Read(resultPath);
        Assert.Equal(first.Select(r => r.Index).Order(), second.Select(r => r.Index).Order());
        Assert.Contains("3 scans, 2 already done", log.ToString(), StringComparison.Ordinal);
        Assert.Single(log.ToString().Split('\n'), l => l.Contains(": SUCCEEDED in ", StringComparison.Ordinal));
        Assert.True(File.Exists(rerunProduct));

        // A plan of the next attempt (the coordinator claimed the scans again) calibrates all of them again.
        store.WritePlan(output, attempt: 2);
        Assert.Equal(ShardWorker.Done, await Worker().RunAsync(store.PlanPath, 0, TextWriter.Null, CancellationToken.None));
        var third = SlurmResultFile.Read(resultPath);
        Assert.Equal(6, third.Count);
        Assert.Equal([0, 1, 2], third.Where(r => r.Attempt == 2).Select(r => r.Index).Order());
    }

    [Fact]
    public async Task A_science_file_that_cannot_be_read_fails_at_load_and_the_rest_of_the_shard_goes_on()
    {
        using var store = new SlurmStore(scans: 3);
        var output = store.Combine("l1");
        Directory.CreateDirectory(output);
        var broken = store.Scans[1].Science.FilePath;
        File.WriteAllText(broken, "not HDF5");
        store.WritePlan(output);

        var exit = await Worker().RunAsync(store.PlanPath, 0, TextWriter.Null, CancellationToken.None);

        Assert.Equal(ShardWorker.Done, exit);
        var results = SlurmResultFile.Read(SlurmResultFile.PathFor(store.PlanPath, 0)).ToDictionary(r => r.Index);
        Assert.Equal(3, results.Count);
        var failed = results[1];
        Assert.Equal((ScanOutcomeStatus.Failed, PipelineStage.Load, false), (failed.Status, failed.FailedStage, failed.TransientFailure));
        Assert.Contains(broken, failed.Error, StringComparison.Ordinal);
        Assert.Contains("cannot be opened as HDF5", failed.Error, StringComparison.Ordinal);
        Assert.Equal(store.Scans[1].Science.ScanId, failed.ScanId);
        Assert.Null(failed.Product);
        Assert.All([results[0], results[2]], r => Assert.Equal(ScanOutcomeStatus.Succeeded, r.Status));
    }

    [Fact]
    public async Task The_exit_on_first_attempt_hook_stops_the_task_before_it_calibrates_anything()
    {
        using var store = new SlurmStore(scans: 2);
        var output = store.Combine("l1");
        Directory.CreateDirectory(output);
        store.WritePlan(output);
        var hooked = new Dictionary<string, string>(Slurm) { [ShardWorker.ExitOnFirstAttemptVariable] = store.Scans[1].Science.ScanId.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        var worker = new ShardWorker(TimeProvider.System, hooked.GetValueOrDefault);

        Assert.Equal(ShardWorker.ExitedOnFirstAttempt, await worker.RunAsync(store.PlanPath, 0, TextWriter.Null, CancellationToken.None));
        Assert.False(File.Exists(SlurmResultFile.PathFor(store.PlanPath, 0)));
        Assert.Empty(Directory.GetFileSystemEntries(output));

        // Resubmitted as attempt 2, the same task goes through.
        store.WritePlan(output, attempt: 2);
        Assert.Equal(ShardWorker.Done, await worker.RunAsync(store.PlanPath, 0, TextWriter.Null, CancellationToken.None));
        Assert.Equal(2, SlurmResultFile.Read(SlurmResultFile.PathFor(store.PlanPath, 0)).Count);
    }

    [Fact]
    public async Task A_task_stopped_before_it_starts_reports_no_result_and_exits_stopped()
    {
        using var store = new SlurmStore(scans: 1);
        var output = store.Combine("l1");
        Directory.CreateDirectory(output);
        store.WritePlan(output);
        var delayed = new Dictionary<string, string>(Slurm) { [ShardWorker.StartDelayVariable] = "600" };
        using var stop = new CancellationTokenSource();
        var running = new ShardWorker(TimeProvider.System, delayed.GetValueOrDefault).RunAsync(store.PlanPath, 0, TextWriter.Null, stop.Token);

        await stop.CancelAsync();

        Assert.Equal(ShardWorker.Stopped, await running);
        Assert.False(File.Exists(SlurmResultFile.PathFor(store.PlanPath, 0)));
    }

    [Theory]
    [InlineData(1, "the plan has shards 0 to 0")]
    [InlineData(-1, "the plan has shards 0 to 0")]
    public async Task A_shard_the_plan_does_not_have_is_refused_naming_the_plan_and_shard(int shard, string reason)
    {
        using var store = new SlurmStore(scans: 1);
        store.WritePlan(store.Combine("l1"));

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => Worker().RunAsync(store.PlanPath, shard, TextWriter.Null, CancellationToken.None));

        Assert.Equal($"cannot run shard {shard} of plan {store.PlanPath}: {reason}", error.Message);
    }

    private static ShardWorker Worker() => new(TimeProvider.System, Slurm.GetValueOrDefault);

    private static int IndexOf(string line) => System.Text.Json.JsonDocument.Parse(line).RootElement.GetProperty("index").GetInt32();

    private static void AssertBits(float[] expected, float[] actual) =>
        Assert.True(MemoryMarshal.AsBytes(expected.AsSpan()).SequenceEqual(MemoryMarshal.AsBytes(actual.AsSpan())), "the arrays differ in some bit");
}

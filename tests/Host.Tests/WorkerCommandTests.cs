using System.Diagnostics;
using Scanflow.Blocks;
using Scanflow.Engine.Formats;
using Scanflow.Engine.Planning;
using Scanflow.Engine.Simulation;

namespace Scanflow.Host.Tests;

/// <summary>Issue 12: <c>scanflow worker --plan FILE --shard N</c>, the real process an array task runs on a compute node.</summary>
public sealed class WorkerCommandTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "scanflow-host-tests", Guid.NewGuid().ToString("N"));

    public WorkerCommandTests() => Directory.CreateDirectory(_directory);

    private string Output => Path.Combine(_directory, "l1");

    private string PlanPath => Path.Combine(_directory, "work", "plan.json");

    [Fact]
    public void A_worker_calibrates_its_shard_writes_a_result_per_scan_and_opens_no_ledger_12()
    {
        var scans = WritePlan(shards: 2);

        var result = ScanflowProcess.Run(new Dictionary<string, string> { ["SLURM_ARRAY_JOB_ID"] = "9001", ["SLURM_ARRAY_TASK_ID"] = "1" }, "worker", "--plan", PlanPath, "--shard", "1");

        Assert.True(result.ExitCode == 0, result.Output + result.Errors);
        var results = SlurmResultFile.Read(SlurmResultFile.PathFor(PlanPath, 1));
        Assert.Equal([scans[1].Science.ScanId], results.Select(r => r.ScanId));
        var line = Assert.Single(results);
        Assert.Equal((ScanOutcomeStatus.Succeeded, "9001", 1, 1), (line.Status, line.JobId, line.TaskId, line.Attempt));
        Assert.Equal(FileChecksum.Sha256(line.Product!.Path), line.Product.Sha256);
        Assert.Single(result.Output.Split('\n'), l => l.StartsWith($"scan {scans[1].Science.ScanId} LFA: SUCCEEDED in ", StringComparison.Ordinal));
        Assert.False(File.Exists(SlurmResultFile.PathFor(PlanPath, 0)), "shard 0 is another task's");
        Assert.Empty(Directory.GetFiles(_directory, "*.sqlite*", SearchOption.AllDirectories));
    }

    [Fact]
    public void A_plan_that_does_not_exist_is_one_sentence_naming_the_file_and_shard_12()
    {
        var missing = Path.Combine(_directory, "no such plan.json");

        var result = ScanflowProcess.Run("worker", "--plan", missing, "--shard", "4");

        Assert.Equal(1, result.ExitCode);
        var error = Assert.Single(result.Errors.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"scanflow worker: cannot run shard 4 of plan {missing}: ", error, StringComparison.Ordinal);
        Assert.Contains("Could not find file", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sigterm_stops_a_running_task_without_results_12()
    {
        WritePlan(shards: 1);
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in (string[])[Path.Combine(AppContext.BaseDirectory, "scanflow.dll"), "worker", "--plan", PlanPath, "--shard", "0"])
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment[ShardWorker.StartDelayVariable] = "600";
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        // The worker says when it starts waiting: from then on its signal handler is in place.
        while (await process.StandardOutput.ReadLineAsync() is { } line && !line.Contains(ShardWorker.StartDelayVariable, StringComparison.Ordinal))
        {
        }

        Signals.Terminate(process.Id);
        using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(patience.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("scanflow worker did not stop on SIGTERM");
        }

        Assert.True(process.ExitCode == ShardWorker.Stopped, await errors);
        Assert.False(File.Exists(SlurmResultFile.PathFor(PlanPath, 0)));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still open by a failed test must not hide that test's own failure.
        }
    }

    /// <summary>Simulates a calibration and one science scan per shard, and writes a plan of one scan per shard.</summary>
    private List<PlannedScan> WritePlan(int shards)
    {
        var raw = Path.Combine(_directory, "raw");
        ScanSimulator.Run(new SimulationOptions { OutputDirectory = raw, Scans = shards, Pixels = 2, Channels = 64, OnDumps = 10, OffDumps = 5 });
        var scans = StorePlanner.Plan([raw], new PlanningOptions()).Scans.ToList();
        Assert.Equal(shards, scans.Count);
        Directory.CreateDirectory(Path.GetDirectoryName(PlanPath)!);
        SlurmPlanFile.Write(PlanPath, new SlurmPlan
        {
            OutputDirectory = Output,
            Calibration = new(),
            ChunkBytes = 1 << 20,
            MemoryLimitBytes = PipelineOptions.DefaultMemoryLimitBytes,
            Shards = [.. scans.Select(s => (IReadOnlyList<SlurmPlanScan>)[SlurmPlanScan.Of(new ScanJob(s, FileChecksum.Sha256(s.Science.FilePath), [FileChecksum.Sha256(s.Calibration.FilePath)]), 1)])],
        });
        return scans;
    }
}

using Scanflow.Engine.Tests;

namespace Scanflow.Blocks.Tests;

/// <summary>SlurmClient against the real single-node cluster ./test.sh starts (issue 12): what sbatch gets arrives
/// literally in the tasks, squeue shows every task to its end, scancel stops them, failures say why.</summary>
public sealed class SlurmClusterTests : IDisposable
{
    private const string Pwned = "/tmp/pwned-slurm";

    /// <summary>Space, both quotes, command substitutions, a leading dash, '%' before a pattern letter, non-ASCII.</summary>
    private const string HostileName = "-run 'single' \"double\" $(touch /tmp/pwned-slurm) `touch /tmp/pwned-slurm` 100%A %% ü λ";

    private readonly TempDirectory _temp = new();
    private readonly SlurmClient _client = new();
    private readonly List<string> _submitted = [];

    public SlurmClusterTests() => SlurmCluster.Require();

    public void Dispose()
    {
        // A failed test leaves no task sleeping on the shared cluster.
        _client.CancelAsync(_submitted, CancellationToken.None).GetAwaiter().GetResult();
        _temp.Dispose();
    }

    [Fact]
    public async Task SubmitAsync_hands_hostile_paths_and_arguments_to_every_task_literally()
    {
        File.Delete(Pwned);
        var directory = Directory.CreateDirectory(_temp.Combine(HostileName)).FullName;
        var plan = Path.Combine(directory, "-plan 'x' $(touch /tmp/pwned-slurm) \\ 50% ü.json");
        // The worker stand-in records its arguments, NUL-terminated, in the working directory (relative path: --chdir).
        var worker = Path.Combine(directory, "-worker 'q' $(x).sh");
        File.WriteAllText(worker, "printf '%s\\0' \"$@\" > \"argv.$SLURM_ARRAY_TASK_ID\"\n");
        var script = Path.Combine(directory, "job.sh");
        SlurmJobScript.Write(script, ["/bin/sh", worker]);
        var jobName = SlurmCluster.UniqueJobName("literal");
        const string Comment = "plan 'x' | 100% ü";

        var jobId = await SubmitAsync(new SlurmSubmitRequest(script, [plan], jobName, Comment, 3, null, directory, directory, new SlurmResources()));
        var final = await SlurmCluster.WaitAsync(_client, jobName, SlurmCluster.AllFinal(3));

        Assert.Equal([0, 1, 2], final.Select(task => task.TaskId!.Value).Order());
        Assert.All(final, task => Assert.Equal((jobId, SlurmState.Completed, "COMPLETED", Comment), (task.JobId, task.State, task.RawState, task.Comment)));
        for (var shard = 0; shard < 3; shard++)
        {
            var argv = File.ReadAllText(Path.Combine(directory, $"argv.{shard}")).Split('\0')[..^1];
            Assert.Equal(["worker", "--plan", plan, "--shard", $"{shard}"], argv);
            // "%A" and "%%" in the directory stayed literal; the file name's pattern was expanded.
            Assert.True(File.Exists(Path.Combine(directory, $"slurm-{jobId}_{shard}.out")), $"slurm-{jobId}_{shard}.out in {directory}");
        }

        Assert.False(File.Exists(Pwned), $"{Pwned} exists: a path or argument was run by a shell");
    }

    [Fact]
    public async Task A_task_that_exits_non_zero_is_FAILED_and_its_siblings_COMPLETED()
    {
        var jobName = SlurmCluster.UniqueJobName("exit3");
        var jobId = await SubmitAsync(Request(jobName, 2, "[ \"$SLURM_ARRAY_TASK_ID\" = 1 ] && exit 3\nexit 0"));

        var final = await SlurmCluster.WaitAsync(_client, jobName, SlurmCluster.AllFinal(2));

        Assert.Equal(
            [(jobId, 0, SlurmState.Completed), (jobId, 1, SlurmState.Failed)],
            final.Select(task => (task.JobId, task.TaskId!.Value, task.State)).Order());
    }

    [Fact]
    public async Task CancelAsync_makes_running_and_pending_tasks_CANCELLED()
    {
        var jobName = SlurmCluster.UniqueJobName("cancel");
        var jobId = await SubmitAsync(Request(jobName, 3, "exec sleep 300") with { MaxConcurrent = 1 });
        await SlurmCluster.WaitAsync(_client, jobName, statuses => statuses.Any(task => task.State == SlurmState.Running));

        await _client.CancelAsync([jobId], CancellationToken.None);
        var final = await SlurmCluster.WaitAsync(_client, jobName, SlurmCluster.AllFinal(3));

        Assert.Equal([0, 1, 2], final.Select(task => task.TaskId!.Value).Order());
        Assert.All(final, task => Assert.Equal(SlurmState.Cancelled, task.State));
    }

    /// <summary>A requeued task (as after preemption or a node failure with requeue) passes through COMPLETING back
    /// to PENDING (reason BeginTime) under the same ids: never a final state, so a watcher keeps waiting.</summary>
    [Fact]
    public async Task A_requeued_task_is_never_seen_in_a_final_state()
    {
        var jobName = SlurmCluster.UniqueJobName("requeue");
        var jobId = await SubmitAsync(Request(jobName, 1, "exec sleep 300"));
        await SlurmCluster.WaitAsync(_client, jobName, statuses => statuses is [{ State: SlurmState.Running }]);
        var seen = new List<SlurmTaskStatus>();

        Scontrol("requeue", $"{jobId}_0");
        await SlurmCluster.WaitAsync(_client, jobName, statuses => statuses is [{ State: SlurmState.Pending }], seen.AddRange);

        Assert.All(seen, task => Assert.False(SlurmStates.IsTerminal(task.State), $"requeued task seen {task.RawState}"));
        Assert.Equal((jobId, 0), (seen[^1].JobId, seen[^1].TaskId));
    }

    /// <summary>Each task holds a lock directory for a second; a second task running meanwhile finds it taken.</summary>
    [Fact]
    public async Task MaxConcurrent_lets_no_more_tasks_run_at_once()
    {
        var jobName = SlurmCluster.UniqueJobName("throttle");
        var lockDirectory = _temp.Combine("lock");
        var overlap = _temp.Combine("overlap");
        var body = $"mkdir '{lockDirectory}' || touch '{overlap}'\nsleep 1\nrmdir '{lockDirectory}'";
        await SubmitAsync(Request(jobName, 3, body) with { MaxConcurrent = 1 });
        var mostRunning = 0;

        var final = await SlurmCluster.WaitAsync(
            _client, jobName, SlurmCluster.AllFinal(3), statuses => mostRunning = Math.Max(mostRunning, statuses.Count(task => task.State == SlurmState.Running)));

        Assert.All(final, task => Assert.Equal(SlurmState.Completed, task.State));
        Assert.False(File.Exists(overlap), "two tasks ran at once");
        Assert.True(mostRunning <= 1, $"squeue showed {mostRunning} tasks running at once");
    }

    [Fact]
    public async Task SubmitAsync_to_a_missing_partition_throws_with_sbatchs_reason()
    {
        var request = Request(SlurmCluster.UniqueJobName("partition"), 1, "exit 0") with { Resources = new SlurmResources { Partition = "no-such-partition" } };

        var failure = await Assert.ThrowsAsync<SlurmCommandException>(() => _client.SubmitAsync(request, CancellationToken.None));

        Assert.StartsWith("sbatch failed (exit code 1): ", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Invalid partition name specified", failure.Message, StringComparison.Ordinal);
        Assert.Equal(1, _client.SubmitCalls);
    }

    /// <summary>A request for a plain sh script with <paramref name="body"/>, its output in the test's directory.</summary>
    private SlurmSubmitRequest Request(string jobName, int tasks, string body)
    {
        var script = _temp.Combine(jobName + ".sh");
        File.WriteAllText(script, "#!/bin/sh\n" + body + "\n");
        return new SlurmSubmitRequest(script, [], jobName, null, tasks, null, _temp.Path, _temp.Path, new SlurmResources());
    }

    private static void Scontrol(params string[] arguments)
    {
        var start = new System.Diagnostics.ProcessStartInfo("scontrol") { UseShellExecute = false, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"scontrol {string.Join(' ', arguments)} failed: {error}");
    }

    private async Task<string> SubmitAsync(SlurmSubmitRequest request)
    {
        var jobId = await _client.SubmitAsync(request, CancellationToken.None);
        _submitted.Add(jobId);
        return jobId;
    }
}

using System.Diagnostics;

namespace Scanflow.Blocks.Tests;

/// <summary>The real SLURM cluster the cluster tests submit to (./test.sh starts one and sets SLURM_CONF), and
/// waiting on its tasks by polling squeue.</summary>
internal static class SlurmCluster
{
    private const string HowToGetOne = "run ./test.sh, which starts a SLURM cluster";

    /// <summary>How long a task of a few seconds may take to be scheduled and to finish, even on a busy machine.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    /// <summary>Fails the test (never skips it) when no cluster answers.</summary>
    public static void Require()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("SLURM_CONF")))
        {
            Assert.Fail($"SLURM_CONF is not set, so there is no SLURM cluster to test against: {HowToGetOne}.");
        }

        var start = new ProcessStartInfo("squeue") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("--noheader");
        start.ArgumentList.Add("--name=scanflow-no-such-job");
        try
        {
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                Assert.Fail($"squeue cannot reach the cluster of SLURM_CONF={Environment.GetEnvironmentVariable("SLURM_CONF")} ({stderr.Result.Trim()}): {HowToGetOne}.");
            }
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            Assert.Fail($"squeue cannot be started ({e.Message}): {HowToGetOne}.");
        }
    }

    /// <summary>A job name no other test or user of the cluster has.</summary>
    public static string UniqueJobName(string purpose) => $"scanflow-test-{purpose}-{Guid.NewGuid():N}";

    /// <summary>Polls the job's tasks until <paramref name="done"/> holds for them, calling <paramref name="seen"/>
    /// with each listing; fails the test with the last listing at the deadline.</summary>
    public static async Task<IReadOnlyList<SlurmTaskStatus>> WaitAsync(
        SlurmClient client, string jobName, Func<IReadOnlyList<SlurmTaskStatus>, bool> done, Action<IReadOnlyList<SlurmTaskStatus>>? seen = null)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var statuses = await client.QueryAsync([jobName], CancellationToken.None);
            seen?.Invoke(statuses);
            if (done(statuses))
            {
                return statuses;
            }

            if (clock.Elapsed > Deadline)
            {
                Assert.Fail($"job {jobName} not done within {Deadline.TotalSeconds} s; squeue shows: "
                    + string.Join("; ", statuses.Select(s => $"{s.JobId}_{s.TaskId} {s.RawState} ({s.Reason})")));
            }

            await Task.Delay(200);
        }
    }

    /// <summary>All <paramref name="tasks"/> tasks listed and each in a final state.</summary>
    public static Func<IReadOnlyList<SlurmTaskStatus>, bool> AllFinal(int tasks) =>
        statuses => statuses.Count == tasks && statuses.All(status => SlurmStates.IsTerminal(status.State));
}

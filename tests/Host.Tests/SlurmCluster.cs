using System.Diagnostics;

namespace Scanflow.Host.Tests;

/// <summary>The real single-node SLURM cluster that ./test.sh starts (../shared/slurm/slurm-up.sh): the queue as squeue
/// shows it, and scancel. Tests that need it fail, never skip, when it is not there.</summary>
internal static class SlurmCluster
{
    /// <summary>Fails the test with the fix when no cluster answers.</summary>
    public static void Require()
    {
        var (code, _, errors) = Run("squeue", "--noheader");
        Assert.True(
            code == 0 && Environment.GetEnvironmentVariable("SLURM_CONF") is not null,
            $"no SLURM cluster answers (SLURM_CONF={Environment.GetEnvironmentVariable("SLURM_CONF") ?? "unset"}: {errors.Trim()}); run ./test.sh, which starts a single-node cluster");
    }

    /// <summary>Every array task of the jobs named <paramref name="jobName"/>, finished ones included (kept for MinJobAge):
    /// job id, task id, state.</summary>
    public static IReadOnlyList<(string JobId, string Task, string State)> Tasks(string jobName)
    {
        var (code, output, errors) = Run("squeue", "--noheader", "--array", "--states=all", $"--name={jobName}", "--format=%F|%K|%T");
        Assert.True(code == 0, errors);
        return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('|')).Select(f => (f[0].Trim(), f[1].Trim(), f[2].Trim()))];
    }

    public static void Cancel(string jobOrTask)
    {
        var (code, _, errors) = Run("scancel", jobOrTask);
        Assert.True(code == 0, errors);
    }

    private static (int Code, string Output, string Errors) Run(string program, params string[] args)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(program, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output.GetAwaiter().GetResult(), errors);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, "", $"{program}: {e.Message}");
        }
    }
}

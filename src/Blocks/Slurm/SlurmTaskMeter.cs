using System.Diagnostics;
using System.Globalization;

namespace Scanflow.Blocks;

/// <summary>The array task's identity, from the environment SLURM gives it, and its usage so far: wall time since the
/// worker started, the process's CPU time and peak RSS.</summary>
internal sealed class SlurmTaskMeter
{
    private readonly TimeProvider _time;
    private readonly long _started;

    public SlurmTaskMeter(TimeProvider time, Func<string, string?> environment)
    {
        _time = time;
        _started = time.GetTimestamp();
        JobId = environment("SLURM_ARRAY_JOB_ID") ?? environment("SLURM_JOB_ID") ?? "";
        TaskId = int.TryParse(environment("SLURM_ARRAY_TASK_ID"), NumberStyles.None, CultureInfo.InvariantCulture, out var task) ? task : null;
        Node = environment("SLURMD_NODENAME") is { Length: > 0 } node ? node : Environment.MachineName;
    }

    public string JobId { get; }

    public int? TaskId { get; }

    public string Node { get; }

    /// <summary>The task's usage right now.</summary>
    public SlurmTaskUsage Now()
    {
        using var process = Process.GetCurrentProcess();
        return new SlurmTaskUsage(JobId, TaskId, Node, _time.GetElapsedTime(_started).TotalSeconds, process.TotalProcessorTime.TotalSeconds, PeakRss(process));
    }

    /// <summary>VmHWM of /proc/self/status (the kernel's high-water mark of resident memory, what SLURM's MaxRSS
    /// samples approximate); the runtime's peak working set where there is no /proc.</summary>
    private static long PeakRss(Process process)
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    var kib = line["VmHWM:".Length..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
                    return long.Parse(kib, CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // No /proc: fall through to the runtime's figure.
        }

        return process.PeakWorkingSet64;
    }
}

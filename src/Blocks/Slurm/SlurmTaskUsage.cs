namespace Scanflow.Blocks;

/// <summary>Where a scan ran under SLURM and what its array task had used when the scan finished.</summary>
/// <param name="JobId">The array job's id (<c>SLURM_ARRAY_JOB_ID</c>); empty when the worker ran outside SLURM.</param>
/// <param name="TaskId">The array task's index (<c>SLURM_ARRAY_TASK_ID</c>), which is also the shard it ran.</param>
/// <param name="Node">The compute node (<c>SLURMD_NODENAME</c>, else the machine's name).</param>
/// <param name="ElapsedSeconds">Wall time of the task from the worker's start to the scan's end.</param>
/// <param name="CpuSeconds">CPU time of the task's process up to the scan's end, all threads.</param>
/// <param name="MaxRssBytes">Peak resident memory of the task's process up to the scan's end.</param>
public sealed record SlurmTaskUsage(string JobId, int? TaskId, string? Node, double ElapsedSeconds, double CpuSeconds, long MaxRssBytes);

namespace Scanflow.Blocks;

/// <summary>The SLURM array task that ran a scan and what it had used when the scan's result was written.</summary>
/// <param name="JobId">The array's job id.</param>
/// <param name="TaskId">The array task (shard).</param>
/// <param name="Node">The node the task ran on.</param>
/// <param name="ElapsedSeconds">The task's wall time so far.</param>
/// <param name="CpuSeconds">The task's CPU time (user + system) so far.</param>
/// <param name="MaxRssBytes">The task's peak resident memory so far.</param>
public sealed record SlurmTaskUsage(string JobId, int? TaskId, string? Node, double ElapsedSeconds, double CpuSeconds, long MaxRssBytes);

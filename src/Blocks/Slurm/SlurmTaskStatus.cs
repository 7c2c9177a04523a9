namespace Scanflow.Blocks;

/// <summary>One array task (or one plain job) as squeue shows it.</summary>
/// <param name="JobId">The array's job id (squeue %F), the one sbatch returned; a plain job's own id.</param>
/// <param name="TaskId">The array index (SLURM_ARRAY_TASK_ID); null for a job that is not an array.</param>
/// <param name="State">The parsed state.</param>
/// <param name="RawState">The state as squeue printed it.</param>
/// <param name="Reason">Why it waits or ended ("None", "Resources", "JobArrayTaskLimit", "BeginTime", ...).</param>
/// <param name="Node">The node it runs or ran on; null while pending.</param>
/// <param name="Comment">The job's --comment; empty for none.</param>
internal sealed record SlurmTaskStatus(
    string JobId,
    int? TaskId,
    SlurmState State,
    string RawState,
    string Reason,
    string? Node,
    string Comment);

namespace Scanflow.Engine.Ledger;

/// <summary>Where an attempt handed to SLURM runs: its submission (one plan file, one job array), the array task and the
/// scan's place in that task's shard. <see cref="JobId"/> is null when the coordinator died before sbatch returned.</summary>
internal sealed record SlurmAttempt(string Submission, string PlanPath, string JobName, string? JobId, int Task, int Index);

namespace Scanflow.Engine.Ledger;

/// <summary>One job array as the ledger records it before sbatch runs: its id (also its directory and the job's comment),
/// plan file, job name, number of array tasks, and the attempts it carries with their task and place in the task's shard.</summary>
internal sealed record SlurmSubmission(
    string Submission, string PlanPath, string JobName, int Tasks, IReadOnlyList<(long RowId, int Attempt, int Task, int Index)> Attempts);

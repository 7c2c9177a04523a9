namespace Scanflow.Blocks;

/// <summary>A submission the executor watches: its plan, its job id once known, and the scans it still owes by array task
/// and place in the task's shard.</summary>
internal sealed class SlurmWatch(string submission, string planPath, string jobName)
{
    public string Submission { get; } = submission;

    public string PlanPath { get; } = planPath;

    public string JobName { get; } = jobName;

    public string? JobId { get; set; }

    /// <summary>What sbatch said when it failed: the job may still have been queued.</summary>
    public string? SubmitError { get; set; }

    public Dictionary<(int Task, int Index), ScanJob> Scans { get; } = [];

    /// <summary>This run submitted it (it did not re-attach to it).</summary>
    public bool Created { get; set; }

    /// <summary>A scan of it ended other than SUCCEEDED: its directory is kept.</summary>
    public bool Unfinished { get; set; }

    /// <summary>Tasks a poll saw ended (or missing); the next poll that agrees fails their scans without a result.</summary>
    public HashSet<int> EndedTasks { get; } = [];

    /// <summary>Why a task's result file could not be read at the last try, by task.</summary>
    public Dictionary<int, string> ReadProblems { get; } = [];
}

using Scanflow.Engine.Planning;

namespace Scanflow.Blocks;

/// <summary>What the SLURM executor records in the ledger before and after sbatch, so a coordinator killed at any point
/// finds its jobs again (<see cref="SqliteScanLedger"/>).</summary>
internal interface ISlurmLedger
{
    /// <summary>Records a submission, with each claimed scan's array task and place in that task's shard, before sbatch runs.</summary>
    void SlurmSubmitting(string submission, string planPath, string jobName, int tasks, IReadOnlyList<(PlannedScan Scan, int Task, int Index)> scans);

    /// <summary>Records the job id of a submission.</summary>
    void SlurmSubmitted(string submission, string jobId);
}

using Scanflow.Engine.Planning;

namespace Scanflow.Blocks.Tests.Slurm;

/// <summary>One <see cref="ISlurmLedger.SlurmSubmitting"/> call as <see cref="RecordingSlurmLedger"/> saw it.</summary>
internal sealed record SlurmSubmittingCall(
    string Submission, string PlanPath, string JobName, int Tasks, IReadOnlyList<(PlannedScan Scan, int Task, int Index)> Scans)
{
    /// <summary>The array task and place in its shard the submission gave <paramref name="scanId"/>.</summary>
    public (int Task, int Index) PlaceOf(long scanId)
    {
        var (_, task, index) = Scans.Single(s => s.Scan.Science.ScanId == scanId);
        return (task, index);
    }
}

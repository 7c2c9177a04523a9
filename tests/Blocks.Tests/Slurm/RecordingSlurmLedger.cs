namespace Scanflow.Blocks.Tests.Slurm;

/// <summary>An <see cref="ISlurmLedger"/> that records what the executor tells it, for tests to read from another thread.
/// <see cref="OnSubmitting"/> runs inside <see cref="SlurmSubmitting"/>, after the plan is written and before sbatch runs.</summary>
internal sealed class RecordingSlurmLedger : ISlurmLedger
{
    private readonly Lock _lock = new();
    private readonly List<SlurmSubmittingCall> _submitting = [];
    private readonly List<(string Submission, string JobId)> _submitted = [];

    public Action<SlurmSubmittingCall>? OnSubmitting { get; init; }

    public IReadOnlyList<SlurmSubmittingCall> Submitting
    {
        get
        {
            lock (_lock)
            {
                return [.. _submitting];
            }
        }
    }

    public IReadOnlyList<(string Submission, string JobId)> Submitted
    {
        get
        {
            lock (_lock)
            {
                return [.. _submitted];
            }
        }
    }

    public void SlurmSubmitting(string submission, string planPath, string jobName, int tasks, IReadOnlyList<(Engine.Planning.PlannedScan Scan, int Task, int Index)> scans)
    {
        var call = new SlurmSubmittingCall(submission, planPath, jobName, tasks, [.. scans]);
        lock (_lock)
        {
            _submitting.Add(call);
        }

        OnSubmitting?.Invoke(call);
    }

    public void SlurmSubmitted(string submission, string jobId)
    {
        lock (_lock)
        {
            _submitted.Add((submission, jobId));
        }
    }
}

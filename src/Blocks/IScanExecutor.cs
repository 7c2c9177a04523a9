namespace Scanflow.Blocks;

/// <summary>Where scans execute: the seam between the runner (claims, stop and grace, retries, reporting) and the
/// work itself. <see cref="CalibrationGraph"/> runs scans in this process; each submitted scan's outcome goes to the
/// callback the executor was created with, exactly once.</summary>
internal interface IScanExecutor : IDisposable
{
    /// <summary>Completes after the last submitted scan's outcome was reported; faults on a bug in the executor.</summary>
    Task Completion { get; }

    /// <summary>Bytes of ON counts read so far.</summary>
    long BytesRead { get; }

    /// <summary>Queues a scan, waiting while the executor is full (backpressure); false when it no longer accepts.</summary>
    Task<bool> SubmitAsync(ScanJob job, CancellationToken cancellationToken);

    /// <summary>No more scans: the executor completes once those submitted are reported.</summary>
    void Complete();

    /// <summary>Stops work on scans in flight after <paramref name="grace"/>: each is reported as cancelled and leaves
    /// no partial file.</summary>
    void CancelInFlightAfter(TimeSpan grace);

    /// <summary>Each stage's queue and work right now.</summary>
    IReadOnlyList<StageActivity> Activity();
}

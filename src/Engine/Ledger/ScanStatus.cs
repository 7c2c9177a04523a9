namespace Scanflow.Engine.Ledger;

/// <summary>
/// Where a (scan, band, configuration) row stands; stored as upper-case text ('PENDING' ... 'WAITING').
/// New members go at the end: the stored text, not the number, is what the ledger keeps.
/// </summary>
public enum ScanStatus
{
    /// <summary>To be calibrated by the next run: requeued by <c>scanflow retry</c>, or recovered from a run that died.</summary>
    Pending,

    /// <summary>Claimed by a live run that is calibrating it now; its product is being written as <c>&lt;name&gt;.tmp</c>.</summary>
    Running,

    /// <summary>The product is in place under its final name and its SHA-256 is recorded.</summary>
    Succeeded,

    /// <summary>The last attempt failed: its <see cref="FailureKind"/> says whether a retry may help, its stage and error where and why.</summary>
    Failed,

    /// <summary>The run was stopped before the scan finished; the next run takes it again without using its retry budget.</summary>
    Cancelled,

    /// <summary>An attempt only: the run found a product of the same inputs and configuration and did nothing.</summary>
    Skipped,

    /// <summary>Planned, but its calibration scan has not arrived yet (schema v2); never an attempt's status.</summary>
    Waiting,
}

namespace Scanflow.Engine.Ledger;

/// <summary>
/// Where a (scan, band, configuration) row stands; stored as upper-case text ('PENDING' ... 'WAITING').
/// New members go at the end: the stored text, not the number, is what the ledger keeps.
/// </summary>
public enum ScanStatus
{
    Pending,
    Running,
    Succeeded,
    Failed,
    Cancelled,
    Skipped,

    /// <summary>Planned, but its calibration scan has not arrived yet (schema v2); never an attempt's status.</summary>
    Waiting,
}

namespace Scanflow.Engine.Ledger;

/// <summary>Where a (scan, band, configuration) row stands; stored as upper-case text ('PENDING' ... 'SKIPPED').</summary>
public enum ScanStatus
{
    Pending,
    Running,
    Succeeded,
    Failed,
    Cancelled,
    Skipped,
}

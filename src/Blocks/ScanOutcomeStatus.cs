namespace Scanflow.Blocks;

/// <summary>How a scan left the graph.</summary>
public enum ScanOutcomeStatus
{
    Succeeded,
    Failed,
    Cancelled,

    /// <summary>Not calibrated on purpose: the ledger holds a product of the same inputs and configuration, or another
    /// run is calibrating the scan right now.</summary>
    Skipped,
}

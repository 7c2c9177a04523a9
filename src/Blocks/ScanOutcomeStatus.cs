namespace Scanflow.Blocks;

/// <summary>How a scan left the graph.</summary>
public enum ScanOutcomeStatus
{
    /// <summary>The L1 product is in place under its final name.</summary>
    Succeeded,

    /// <summary>A stage failed or the scan could not be read; the outcome names the stage and the reason.</summary>
    Failed,

    /// <summary>The run was stopped before the scan finished, or before it started.</summary>
    Cancelled,

    /// <summary>Not calibrated on purpose: the ledger holds a product of the same inputs and configuration, or another
    /// run is calibrating the scan right now.</summary>
    Skipped,
}

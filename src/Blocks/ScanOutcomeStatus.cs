namespace Scanflow.Blocks;

/// <summary>How a scan left the graph.</summary>
public enum ScanOutcomeStatus
{
    Succeeded,
    Failed,
    Cancelled,
}

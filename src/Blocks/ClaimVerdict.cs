namespace Scanflow.Blocks;

/// <summary>A ledger's answer to a claim: calibrate the scan, or report it with <see cref="Status"/> and
/// <see cref="Reason"/> without calibrating it.</summary>
public readonly record struct ClaimVerdict(bool Calibrate, ScanOutcomeStatus Status, string? Reason)
{
    /// <summary>Calibrate the scan.</summary>
    public static ClaimVerdict Proceed { get; } = new(true, ScanOutcomeStatus.Succeeded, null);

    /// <summary>Do not calibrate the scan: report it with <paramref name="status"/> and <paramref name="reason"/>.</summary>
    public static ClaimVerdict Decided(ScanOutcomeStatus status, string reason) => new(false, status, reason);
}

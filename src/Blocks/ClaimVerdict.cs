using Scanflow.Engine.Ledger;

namespace Scanflow.Blocks;

/// <summary>A ledger's answer to a claim: calibrate the scan (no <see cref="Decision"/>), or report it with
/// <see cref="Decision"/> and <see cref="Reason"/> without calibrating it.</summary>
public readonly record struct ClaimVerdict(ScanOutcomeStatus? Decision, string? Reason)
{
    /// <summary>Calibrate the scan.</summary>
    public static ClaimVerdict Proceed { get; } = new(null, null);

    /// <summary>Plots the decision left this run to draw: those of an interrupted run's product it adopted.</summary>
    public PendingPlots? Plots { get; init; }

    /// <summary>The SLURM task still working on the claimed attempt, which a dead coordinator submitted: collect its result.</summary>
    internal SlurmAttempt? Reattach { get; init; }

    /// <summary>True when the scan is to be calibrated.</summary>
    public bool Calibrate => Decision is null;

    /// <summary>Do not calibrate the scan: report it with <paramref name="status"/> and <paramref name="reason"/>.</summary>
    public static ClaimVerdict Decided(ScanOutcomeStatus status, string reason) => new(status, reason);
}

using Scanflow.Engine.Model;

namespace Scanflow.Engine.Ledger;

/// <summary>
/// What claiming a scan does, decided from the ledger's row for its (scan, band, configuration) key alone, without
/// SQLite; <see cref="ClaimWrites"/> carries it out in the transaction that read the row. <see cref="Tries"/> is the
/// row's retry count once it is claimed (a changed input starts a fresh budget); <see cref="Reason"/> is what the
/// caller is told, and for <see cref="ClaimAction.GiveUpInterrupted"/> also the error recorded.
/// </summary>
internal sealed record ClaimDecision(ClaimAction Action, int Tries = 0, string? Reason = null)
{
    /// <param name="row">The row for the claim's key, or null when there is none.</param>
    /// <param name="claim">The scan this run wants to calibrate.</param>
    /// <param name="options">The version policy and the retry budget.</param>
    /// <param name="runId">This run's id.</param>
    /// <param name="identity">This run's process, named when it already holds the row.</param>
    /// <param name="describeLiveRun">
    /// Asked only about the run that has the row RUNNING, when that is another run: how to name it while it is alive,
    /// null when it is dead or not in <c>runs</c>.
    /// </param>
    public static ClaimDecision Decide(
        ScanRow? row, ScanClaim claim, LedgerOptions options, string runId, RunIdentity identity, Func<string, string?> describeLiveRun)
    {
        ArgumentNullException.ThrowIfNull(claim);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(describeLiveRun);
        if (row is null)
        {
            return new(ClaimAction.Insert, Tries: 1);
        }

        var scan = $"scan {claim.ScanId} {ModelNames.Of(claim.Band)}";
        var sameInputs = row.HasSameInputs(claim);
        var nextTries = sameInputs ? row.Tries + 1 : 1;
        switch (row.Status)
        {
            case ScanStatus.Succeeded when sameInputs && row.L1Current
                && (options.VersionPolicy == VersionPolicy.Compatible || row.EngineVersion == claim.EngineVersion):
                return new(ClaimAction.Skip, Reason: $"{scan} already succeeded with the same inputs and configuration");

            case ScanStatus.Succeeded:
                // Other inputs, engine (Exact) or a product path another configuration has since overwritten: a fresh budget.
                return new(ClaimAction.Reclaim, Tries: 1);

            case ScanStatus.Waiting:
                // Its calibration has arrived: claimable like PENDING; the claim fills in the inputs with a fresh budget.
                return new(ClaimAction.Reclaim, Tries: 1);

            case ScanStatus.Running when row.RunId == runId:
                return new(ClaimAction.HeldByThisRun, Reason: $"{scan} is already running in this run ({runId}, host {identity.Host}, pid {identity.Pid})");

            case ScanStatus.Running when row.RunId is { } owner && describeLiveRun(owner) is { } live:
                return new(ClaimAction.HeldByAnotherRun, Reason: $"{scan} is running in {live}");

            case ScanStatus.Running when row.SlurmSubmission is not null && claim.ReattachSlurm && sameInputs:
                return new(ClaimAction.Reattach, Tries: row.Tries);
            case ScanStatus.Running:
                return new(ClaimAction.TakeOverDeadRun, Tries: nextTries);

            case ScanStatus.Pending when sameInputs && row.FailureKind == FailureKind.Transient && row.Tries > options.MaxRetries:
                // Requeued by RecoverDeadRuns each time: it may be what kills the process, so it stops until scanflow retry.
                return new(
                    ClaimAction.GiveUpInterrupted,
                    Reason: $"interrupted {row.Tries} times by a run that died (MaxRetries {options.MaxRetries}); it may be what stops the process: look at its input, then scanflow retry");

            case ScanStatus.Failed when sameInputs && row.FailureKind == FailureKind.Permanent:
                return new(
                    ClaimAction.FailedPermanently,
                    Reason: $"{row.Error} (permanent failure at {row.Stage ?? "an unknown stage"}; use scanflow retry to requeue)");

            case ScanStatus.Failed when sameInputs && row.Tries > options.MaxRetries:
                return new(
                    ClaimAction.FailedPermanently,
                    Reason: $"{row.Error} (gave up after {row.Tries} tries, MaxRetries {options.MaxRetries}; use scanflow retry to requeue)");

            default:
                // FAILED transient within budget, CANCELLED, PENDING; a changed input starts a fresh budget.
                return new(ClaimAction.Reclaim, Tries: nextTries);
        }
    }
}

namespace Scanflow.Engine.Ledger;

/// <summary>
/// The answer to a claim. <see cref="Attempt"/> is the attempt number this run now owns (Claimed) or the
/// number of the recorded SKIPPED attempt (AlreadySucceeded). <see cref="SupersededL1Path"/> names a
/// SUCCEEDED product of older inputs that the caller renames to a versioned name before writing. <see cref="Reattach"/>
/// names the SLURM task still working on a claimed attempt a dead run handed to SLURM: its result is collected, not made again.
/// </summary>
internal sealed record ClaimResult(ClaimOutcome Outcome, long RowId, int Attempt, string? ExistingL1Path, string? SupersededL1Path, string? Reason)
{
    public SlurmAttempt? Reattach { get; init; }
}

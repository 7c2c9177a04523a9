namespace Scanflow.Engine.Ledger;

/// <summary>
/// The answer to a claim. <see cref="Attempt"/> is the attempt number this run now owns (Claimed) or the
/// number of the recorded SKIPPED attempt (AlreadySucceeded). <see cref="SupersededL1Path"/> names a
/// SUCCEEDED product of older inputs that the caller renames to a versioned name before writing.
/// </summary>
internal sealed record ClaimResult(ClaimOutcome Outcome, long RowId, int Attempt, string? ExistingL1Path, string? SupersededL1Path, string? Reason);

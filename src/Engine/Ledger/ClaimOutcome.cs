namespace Scanflow.Engine.Ledger;

/// <summary>What <c>LedgerWriter.Claim</c> decided for a scan.</summary>
internal enum ClaimOutcome
{
    /// <summary>The row is now RUNNING and owned by this run.</summary>
    Claimed,

    /// <summary>A SUCCEEDED product with the same inputs exists; a SKIPPED attempt was recorded.</summary>
    AlreadySucceeded,

    /// <summary>Another live run has the row RUNNING; nothing changed.</summary>
    HeldByAnotherRun,

    /// <summary>The last attempt failed permanently with unchanged inputs; nothing changed until <c>scanflow retry</c>.</summary>
    FailedPermanently,
}

namespace Scanflow.Engine.Ledger;

/// <summary>What a claim does to the ledger; <see cref="ClaimDecision"/> chooses it, <see cref="ClaimWrites"/> carries it out.</summary>
internal enum ClaimAction
{
    /// <summary>No row yet: insert one RUNNING at attempt 1 (Claimed).</summary>
    Insert,

    /// <summary>A current product of the same inputs exists: record a SKIPPED attempt (AlreadySucceeded).</summary>
    Skip,

    /// <summary>Make the row RUNNING again with the decided retry count (Claimed).</summary>
    Reclaim,

    /// <summary>The row is RUNNING in a run that died: its attempt becomes FAILED Transient "interrupted", then reclaim (Claimed).</summary>
    TakeOverDeadRun,

    /// <summary>The row is RUNNING on SLURM for a run that died: this run takes the same attempt over and collects its result (Claimed).</summary>
    Reattach,

    /// <summary>This run already holds the row; nothing changes (HeldByAnotherRun, for the caller it is the same).</summary>
    HeldByThisRun,

    /// <summary>A live run holds the row; nothing changes (HeldByAnotherRun).</summary>
    HeldByAnotherRun,

    /// <summary>Requeued by dying runs more often than the retry budget: the row becomes FAILED Permanent (FailedPermanently).</summary>
    GiveUpInterrupted,

    /// <summary>Failed permanently, or out of retries, with unchanged inputs; nothing changes (FailedPermanently).</summary>
    FailedPermanently,
}

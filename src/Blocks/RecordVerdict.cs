namespace Scanflow.Blocks;

/// <summary>A ledger's answer to an outcome: the outcome as it is to be reported, and whether a retry is allowed (a
/// transient failure within the retry budget).</summary>
public readonly record struct RecordVerdict(ScanOutcome Outcome, bool MayRetry);

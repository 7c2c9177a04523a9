using Scanflow.Engine.Ledger;

namespace Scanflow.Blocks;

/// <summary>A ledger's answer to an outcome: the outcome as it is to be reported, whether a retry is allowed (a
/// transient failure within the retry budget), and the plots the recorded product owes, which this run draws.</summary>
public readonly record struct RecordVerdict(ScanOutcome Outcome, bool MayRetry, PendingPlots? Plots = null);

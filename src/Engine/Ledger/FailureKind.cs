namespace Scanflow.Engine.Ledger;

/// <summary>Whether a failure is worth retrying (I/O hiccup, interrupted run) or not (bad input, science error).</summary>
public enum FailureKind
{
    /// <summary>May go away on its own (an I/O error, an interrupted run): retried within the retry budget.</summary>
    Transient,

    /// <summary>Will fail again on the same input (a bad file, a scan that cannot be calibrated): not retried until requeued.</summary>
    Permanent,
}

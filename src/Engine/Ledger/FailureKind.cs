namespace Scanflow.Engine.Ledger;

/// <summary>Whether a failure is worth retrying (I/O hiccup, interrupted run) or not (bad input, science error).</summary>
public enum FailureKind
{
    Transient,
    Permanent,
}

namespace Scanflow.Engine.Ledger;

/// <summary>
/// Whether a product made by another engine version still counts: <see cref="Compatible"/> keeps it
/// (an upgrade alone reprocesses nothing), <see cref="Exact"/> redoes it.
/// </summary>
public enum VersionPolicy
{
    /// <summary>A product of another engine version counts as done: an upgrade alone reprocesses nothing.</summary>
    Compatible,

    /// <summary>Only a product of this engine version counts: an upgrade reprocesses every scan.</summary>
    Exact,
}

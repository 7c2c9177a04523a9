namespace Scanflow.Engine.Ledger;

/// <summary>
/// Whether a product made by another engine version still counts: <see cref="Compatible"/> keeps it
/// (an upgrade alone reprocesses nothing), <see cref="Exact"/> redoes it.
/// </summary>
public enum VersionPolicy
{
    Compatible,
    Exact,
}

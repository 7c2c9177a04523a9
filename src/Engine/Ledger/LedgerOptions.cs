namespace Scanflow.Engine.Ledger;

/// <summary>How the ledger decides what to redo.</summary>
public sealed record LedgerOptions
{
    /// <summary>Whether a product made by another engine version still counts (default: it does).</summary>
    public VersionPolicy VersionPolicy { get; init; } = VersionPolicy.Compatible;

    /// <summary>Retries after the first attempt for transient failures; a scan gets at most MaxRetries + 1 attempts.</summary>
    public int MaxRetries { get; init; } = 3;

    /// <summary>A run on another host whose heartbeat is older than this is considered dead.</summary>
    public TimeSpan HeartbeatTimeout { get; init; } = TimeSpan.FromMinutes(2);
}

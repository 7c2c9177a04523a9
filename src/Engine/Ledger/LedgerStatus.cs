namespace Scanflow.Engine.Ledger;

/// <summary>
/// The ledger at a glance: counts by status and band, last success, oldest pending, last hour's throughput, rows
/// WAITING for a calibration scan (also in <see cref="Counts"/>) and rejected file versions.
/// </summary>
public sealed record LedgerStatus(
    IReadOnlyList<(ScanStatus Status, string Band, int Count)> Counts,
    DateTimeOffset? LastSuccessUtc,
    long? OldestPendingScanId,
    DateTimeOffset? OldestPendingSinceUtc,
    int SucceededLastHour,
    long BytesLastHour,
    int Waiting = 0,
    int Rejected = 0);

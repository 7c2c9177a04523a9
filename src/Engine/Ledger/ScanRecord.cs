namespace Scanflow.Engine.Ledger;

/// <summary>
/// One (scan, band, configuration) row: its identity, inputs, latest status and product. A WAITING row (and one
/// whose wait expired) has no inputs yet: <see cref="InputSha256"/> is "", <see cref="InputBytes"/> 0 and the
/// calibration lists are empty.
/// </summary>
public sealed record ScanRecord(
    long RowId,
    long ScanId,
    string Band,
    string Source,
    string ObsMode,
    double StartMjd,
    string InputPath,
    string InputSha256,
    long InputBytes,
    IReadOnlyList<long> CalibrationScanIds,
    IReadOnlyList<string> CalibrationSha256,
    string ConfigSha256,
    string EngineVersion,
    ScanStatus Status,
    int Attempts,
    string? Stage,
    string? Error,
    FailureKind? FailureKind,
    string L1Path,
    string? L1Sha256,
    DateTimeOffset? StartedUtc,
    DateTimeOffset? FinishedUtc,
    DateTimeOffset UpdatedUtc);

namespace Scanflow.Engine.Ledger;

/// <summary>Everything that identifies one calibration of one science scan, as the ledger records it before work starts.</summary>
public sealed record ScanClaim(
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
    string L1Path,
    DateTime? InputLastWriteUtc = null);

namespace Scanflow.Engine.Ledger;

/// <summary>
/// A science scan that is planned but whose calibration scan has not arrived: the same (scan, band, configuration)
/// key, engine and product path as the <see cref="ScanClaim"/> that follows once it does, without the checksums
/// and calibration inputs that are not known yet.
/// </summary>
public sealed record WaitingScan(
    long ScanId,
    string Band,
    string Source,
    string ObsMode,
    double StartMjd,
    string InputPath,
    string ConfigSha256,
    string EngineVersion,
    string L1Path);

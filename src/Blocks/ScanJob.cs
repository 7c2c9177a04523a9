using Scanflow.Engine.Planning;

namespace Scanflow.Blocks;

/// <summary>A planned scan handed to an executor, with the checksums of its science and calibration files (the runner
/// computed them to claim the scan), so no stage hashes a file twice.</summary>
internal sealed record ScanJob(PlannedScan Scan, string InputSha256, string CalibrationSha256);

using Scanflow.Engine.Planning;

namespace Scanflow.Blocks;

/// <summary>A planned scan handed to an executor, with the checksums of its science and calibration files (the runner
/// computed them to claim the scan; in the order of <see cref="PlannedScan.Calibrations"/>), so no stage hashes a file twice.</summary>
internal sealed record ScanJob(PlannedScan Scan, string InputSha256, IReadOnlyList<string> CalibrationSha256);

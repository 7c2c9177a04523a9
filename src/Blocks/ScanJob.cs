using Scanflow.Engine.Planning;

namespace Scanflow.Blocks;

/// <summary>A planned scan entering the graph, with the checksums of its science and calibration files when the caller
/// already computed them (to claim the scan in the ledger), so Load does not hash a file twice.</summary>
internal sealed record ScanJob(PlannedScan Scan, string? InputSha256, string? CalibrationSha256);

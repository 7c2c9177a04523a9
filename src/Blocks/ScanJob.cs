using Scanflow.Engine.Planning;

namespace Scanflow.Blocks;

/// <summary>A planned scan entering the graph, with its input checksum when the caller already computed it (to claim
/// the scan in the ledger) so Load does not hash the file twice.</summary>
internal sealed record ScanJob(PlannedScan Scan, string? InputSha256);

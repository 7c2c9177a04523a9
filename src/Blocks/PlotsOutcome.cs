using Scanflow.Engine.Ledger;

namespace Scanflow.Blocks;

/// <summary>The plots drawn for one recorded product: those written (the ones that failed are missing, each with a
/// warning), and whether the ledger recorded them as the product's (false: another run or attempt has them now).</summary>
public sealed record PlotsOutcome(long ScanId, string Band, IReadOnlyList<ProductFile> Plots, IReadOnlyList<string> Warnings, bool Recorded);

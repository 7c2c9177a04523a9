namespace Scanflow.Engine.Ledger;

/// <summary>The plots a successful attempt still owes, to be drawn from <paramref name="DataPath"/> (the plot data
/// beside its L1 file) and recorded as its products.</summary>
public sealed record PendingPlots(long RowId, int Attempt, long ScanId, string Band, string DataPath);

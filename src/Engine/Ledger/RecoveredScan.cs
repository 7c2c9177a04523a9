namespace Scanflow.Engine.Ledger;

/// <summary>A scan a dead run left RUNNING, now PENDING again; the caller deletes <c>L1Path + ".tmp"</c>.</summary>
public sealed record RecoveredScan(long RowId, long ScanId, string Band, string L1Path);

namespace Scanflow.Host;

/// <summary>One failure: the scan (when its header could be read), its file, the stage that failed and why.</summary>
internal sealed record FailureEntry(long? ScanId, string File, string Stage, string Reason, long? CalibrationScanId);

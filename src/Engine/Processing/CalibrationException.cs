namespace Scanflow.Engine.Processing;

/// <summary>A scan that is well-formed but cannot be calibrated (no usable pixel, no PWV): permanent, names the scan.</summary>
public sealed class CalibrationException : Exception
{
    public CalibrationException(long scanId, string filePath, string reason)
        : base($"{filePath}: scan {scanId} cannot be calibrated: {reason}")
    {
        ScanId = scanId;
        FilePath = filePath;
        Reason = reason;
    }

    public long ScanId { get; }

    public string FilePath { get; }

    public string Reason { get; }
}

namespace Scanflow.Engine.Processing;

/// <summary>A scan that is well-formed but cannot be calibrated (no usable pixel, no PWV): permanent, names the scan.</summary>
public sealed class CalibrationException : Exception
{
    /// <summary>Scan <paramref name="scanId"/> in <paramref name="filePath"/> cannot be calibrated, for <paramref name="reason"/>.</summary>
    public CalibrationException(long scanId, string filePath, string reason)
        : base($"{filePath}: scan {scanId} cannot be calibrated: {reason}")
    {
        ScanId = scanId;
        FilePath = filePath;
        Reason = reason;
    }

    /// <summary>The scan that cannot be calibrated.</summary>
    public long ScanId { get; }

    /// <summary>The raw file of that scan.</summary>
    public string FilePath { get; }

    /// <summary>Why, as a sentence: which check failed and what to look at.</summary>
    public string Reason { get; }
}

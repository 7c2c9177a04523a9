namespace Scanflow.Engine.Formats;

/// <summary>What is wrong with a scan file; lets callers tell a missing attribute from a torn file.</summary>
public enum ScanFormatProblem
{
    /// <summary>Not an HDF5 file, truncated, unreadable, or not a regular file (a FIFO, a socket, a device).</summary>
    Unreadable,

    /// <summary>A required attribute or dataset is absent.</summary>
    Missing,

    /// <summary>An attribute holds a value outside what the format allows.</summary>
    InvalidValue,

    /// <summary>A dataset has the wrong rank, length or element type.</summary>
    WrongShape,

    /// <summary>Science and calibration scans disagree on channels or pixels.</summary>
    AxisMismatch,

    /// <summary>Counts are non-finite (or all zero) where measured numbers are required.</summary>
    NonFiniteData,
}

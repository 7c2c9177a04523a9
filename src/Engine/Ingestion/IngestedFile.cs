using Scanflow.Engine.Formats;

namespace Scanflow.Engine.Ingestion;

/// <summary>A file in the drop directory that has settled: ready (<see cref="Header"/> set) or rejected
/// (<see cref="RejectReason"/> set: the problem, without the path, which the rejection line and record name already).
/// <see cref="RejectError"/> holds the error underneath (the HDF5 error stack) for a debug log.</summary>
internal sealed record IngestedFile(string Path, RawScanHeader? Header, string? RejectReason, Exception? RejectError = null);

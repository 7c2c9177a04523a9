using Scanflow.Engine.Formats;

namespace Scanflow.Engine.Ingestion;

/// <summary>A file in the drop directory that has settled: ready (<see cref="Header"/> set) or rejected
/// (<see cref="RejectReason"/> set, a sentence naming the file and the problem).</summary>
internal sealed record IngestedFile(string Path, RawScanHeader? Header, string? RejectReason);

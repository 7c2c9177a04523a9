using Scanflow.Engine.Formats;

namespace Scanflow.Engine.Ingestion;

/// <summary>A science scan in WAITING and the moment it started waiting.</summary>
internal readonly record struct WaitingScience(RawScanHeader Science, DateTimeOffset Since);

using Scanflow.Engine.Formats;

namespace Scanflow.Engine.Ingestion;

/// <summary>A science scan in WAITING, the moment it started waiting, and whether it has its calibration and waits for the
/// later one (linear gain interpolation).</summary>
internal readonly record struct WaitingScience(RawScanHeader Science, DateTimeOffset Since, bool ForLater = false);

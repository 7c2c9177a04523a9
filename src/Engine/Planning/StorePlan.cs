using Scanflow.Engine.Formats;

namespace Scanflow.Engine.Planning;

/// <summary>What a store holds and what will be done with it: the paired science scans in start order, everything
/// left out and why, every readable calibration scan, and how many files were not scans at all.</summary>
public sealed record StorePlan(
    IReadOnlyList<PlannedScan> Scans, IReadOnlyList<ExcludedScan> Excluded, IReadOnlyList<RawScanHeader> Calibrations, int IgnoredFiles)
{
    /// <summary>The exclusions that count as failures (<see cref="ExclusionKind.Failed"/>), not those left out by the selection.</summary>
    public IEnumerable<ExcludedScan> Failures => Excluded.Where(e => e.Kind == ExclusionKind.Failed);
}

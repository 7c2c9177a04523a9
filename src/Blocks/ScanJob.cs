using Scanflow.Engine.Ledger;
using Scanflow.Engine.Planning;

namespace Scanflow.Blocks;

/// <summary>A planned scan handed to an executor, with the checksums of its science and calibration files (the runner
/// computed them to claim the scan; in the order of <see cref="PlannedScan.Calibrations"/>), so no stage hashes a file twice.
/// <see cref="Reattach"/> names the SLURM task a dead coordinator handed the claimed attempt to: its result is collected.</summary>
internal sealed record ScanJob(PlannedScan Scan, string InputSha256, IReadOnlyList<string> CalibrationSha256)
{
    public SlurmAttempt? Reattach { get; init; }

    /// <summary>This run's attempt at the scan: 1, then one more per retry.</summary>
    public int Attempt { get; init; } = 1;
}

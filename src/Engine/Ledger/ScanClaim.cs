using System.Diagnostics.CodeAnalysis;

namespace Scanflow.Engine.Ledger;

/// <summary>Everything that identifies one calibration of one science scan, as the ledger records it before work
/// starts: the scan (<see cref="LedgerScan"/>) and the checksums of its inputs.</summary>
internal sealed record ScanClaim : LedgerScan
{
    /// <summary>A claim of <paramref name="scan"/> with the inputs hashed for it.</summary>
    [SetsRequiredMembers]
    public ScanClaim(
        LedgerScan scan, string inputSha256, long inputBytes, IReadOnlyList<long> calibrationScanIds, IReadOnlyList<string> calibrationSha256,
        DateTime? inputLastWriteUtc)
        : base(scan)
    {
        InputSha256 = inputSha256;
        InputBytes = inputBytes;
        CalibrationScanIds = calibrationScanIds;
        CalibrationSha256 = calibrationSha256;
        InputLastWriteUtc = inputLastWriteUtc;
    }

    public required string InputSha256 { get; init; }

    public required long InputBytes { get; init; }

    public required IReadOnlyList<long> CalibrationScanIds { get; init; }

    /// <summary>The checksums of the calibration scans, in the order of <see cref="CalibrationScanIds"/>.</summary>
    public required IReadOnlyList<string> CalibrationSha256 { get; init; }

    /// <summary>The input's last-write time, so a restart can trust its recorded checksum; null when not known.</summary>
    public DateTime? InputLastWriteUtc { get; init; }

    /// <summary>This run hands scans to SLURM: a scan a dead run left running on SLURM is re-attached to, not calibrated again.</summary>
    public bool ReattachSlurm { get; init; }
}

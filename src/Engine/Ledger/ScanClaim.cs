using Scanflow.Engine.Model;

namespace Scanflow.Engine.Ledger;

/// <summary>
/// Everything that identifies one calibration of one science scan, as the ledger records it before work starts.
/// Band and mode are stored as the file formats spell them (<see cref="ModelNames"/>: 'LFA', 'OTF').
/// </summary>
internal sealed record ScanClaim
{
    public required long ScanId { get; init; }

    public required Band Band { get; init; }

    public required string Source { get; init; }

    public required ObsMode ObsMode { get; init; }

    public required double StartMjd { get; init; }

    public required string InputPath { get; init; }

    public required string InputSha256 { get; init; }

    public required long InputBytes { get; init; }

    public required IReadOnlyList<long> CalibrationScanIds { get; init; }

    /// <summary>The checksums of the calibration scans, in the order of <see cref="CalibrationScanIds"/>.</summary>
    public required IReadOnlyList<string> CalibrationSha256 { get; init; }

    public required string ConfigSha256 { get; init; }

    public required string EngineVersion { get; init; }

    public required string L1Path { get; init; }

    /// <summary>The input's last-write time, so a restart can trust its recorded checksum; null when not known.</summary>
    public DateTime? InputLastWriteUtc { get; init; }
}

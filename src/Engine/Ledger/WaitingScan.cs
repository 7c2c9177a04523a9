using Scanflow.Engine.Model;

namespace Scanflow.Engine.Ledger;

/// <summary>
/// A science scan that is planned but whose calibration scan has not arrived: the same (scan, band, configuration)
/// key, engine and product path as the <see cref="ScanClaim"/> that follows once it does, without the checksums
/// and calibration inputs that are not known yet.
/// </summary>
internal sealed record WaitingScan
{
    public required long ScanId { get; init; }

    public required Band Band { get; init; }

    public required string Source { get; init; }

    public required ObsMode ObsMode { get; init; }

    public required double StartMjd { get; init; }

    public required string InputPath { get; init; }

    public required string ConfigSha256 { get; init; }

    public required string EngineVersion { get; init; }

    public required string L1Path { get; init; }
}

using Scanflow.Engine.Formats;
using Scanflow.Engine.Model;
using Scanflow.Engine.Processing;

namespace Scanflow.Engine.Ledger;

/// <summary>
/// A science scan as a ledger row knows it before its inputs are hashed: the (scan, band, configuration) key, its
/// file, engine and product path. A scan WAITING for its calibration is recorded with this alone; a
/// <see cref="ScanClaim"/> adds the checksums and calibration inputs. Band and mode are stored as the file formats
/// spell them (<see cref="ModelNames"/>: 'LFA', 'OTF').
/// </summary>
internal record LedgerScan
{
    /// <summary>The science scan of <paramref name="science"/>, whose product goes to <paramref name="l1Path"/>, under
    /// the configuration <paramref name="configSha256"/> and this engine.</summary>
    public static LedgerScan For(RawScanHeader science, string l1Path, string configSha256) => new()
    {
        ScanId = science.ScanId,
        Band = science.Band,
        Source = science.Source,
        ObsMode = science.ObsMode ?? throw new ArgumentException($"{science.Describe()} is not a science scan", nameof(science)),
        StartMjd = science.StartMjd,
        InputPath = science.FilePath,
        ConfigSha256 = configSha256,
        EngineVersion = EngineInfo.Version,
        L1Path = l1Path,
    };

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

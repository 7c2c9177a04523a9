namespace Scanflow.Engine.Formats;

/// <summary>The root attributes of an L1 product (formats.md), provenance included.</summary>
internal sealed record L1Attributes
{
    public required long ScanId { get; init; }
    public required string Band { get; init; }
    public required string Source { get; init; }
    public required string Project { get; init; }
    public required string ObsMode { get; init; }
    public required double LoFrequencyHz { get; init; }
    public required string Sideband { get; init; }
    public required long[] CalibrationScanIds { get; init; }
    public required double PwvMm { get; init; }
    public required double PwvErrorMm { get; init; }
    public required double AtmosphereFitRmsK { get; init; }
    public required string AtmosphereFitStatus { get; init; }
    public required string JMode { get; init; }
    public required double ForwardEfficiency { get; init; }
    public required double SidebandGainRatio { get; init; }
    public required string AtmosphereModel { get; init; }
    public required double AtmosphereTemperatureK { get; init; }
    public required string EngineVersion { get; init; }
    public required string ConfigSha256 { get; init; }
    public required string ConfigJson { get; init; }
    public required string InputSha256 { get; init; }
    public required string[] CalibrationInputSha256 { get; init; }
    public required DateTimeOffset CreatedUtc { get; init; }

    /// <summary>Why the PWV in use is not this calibration's own fit (empty when it is).</summary>
    public string PwvNote { get; init; } = "";

    /// <summary><c>none</c> or <c>linear</c> (calibration.md §7.10): what was asked for.</summary>
    public string GainInterpolation { get; init; } = "none";

    /// <summary>Why <c>linear</c> was asked for and not applied; null (no attribute) otherwise.</summary>
    public string? GainInterpolationNote { get; init; }
}

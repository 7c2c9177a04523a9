namespace Scanflow.Engine.Simulation;

/// <summary>What was injected into one simulated science scan; its atmosphere and receiver are its calibration's.
/// Issue 14's faults: <see cref="NoisyPixel"/> had <see cref="NoiseFactor"/> times the radiometer noise in this scan's
/// OFF and ON dumps; <see cref="SpurPixel"/> had a spur at <see cref="SpurChannel"/> in its ON dumps, of
/// <see cref="SpurAmplitudesSigma"/>[d] × <see cref="SpurSigmaK"/> in T_A* in ON dump d. A truth file written before
/// them reads as a scan without faults.</summary>
public sealed record ScienceTruth(
    long ScanId,
    string File,
    long CalibrationScanId,
    string ObsMode,
    double ElevationDeg,
    double OnIntegrationSeconds,
    double OffIntegrationSeconds,
    SourceTruth Source,
    int? NoisyPixel = null,
    double NoiseFactor = 1,
    int? SpurPixel = null,
    int? SpurChannel = null,
    double[]? SpurAmplitudesSigma = null,
    double? SpurSigmaK = null);

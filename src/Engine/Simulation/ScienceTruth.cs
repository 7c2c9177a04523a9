namespace Scanflow.Engine.Simulation;

/// <summary>What was injected into one simulated science scan; its atmosphere and receiver are its calibration's.</summary>
public sealed record ScienceTruth(
    long ScanId,
    string File,
    long CalibrationScanId,
    string ObsMode,
    double ElevationDeg,
    double OnIntegrationSeconds,
    double OffIntegrationSeconds,
    SourceTruth Source);

namespace Scanflow.Engine.Simulation;

/// <summary>What was injected into one simulated calibration scan. <see cref="ForwardEfficiency"/> and
/// <see cref="AtmosphereTemperatureK"/> are the sky's real values, which differ from the header's only in a
/// model-mismatch simulation.</summary>
public sealed record CalibrationTruth(
    long ScanId,
    string File,
    string Band,
    double LoFrequencyHz,
    string Sideband,
    double PwvMm,
    double ElevationDeg,
    double AmbientTemperatureK,
    double AtmosphereTemperatureK,
    double ForwardEfficiency,
    double SidebandGainRatio,
    double HotTemperatureK,
    double ColdTemperatureK,
    ReceiverTruth Receiver);

namespace Scanflow.Engine.Simulation;

/// <summary>What was injected into one simulated calibration scan.</summary>
public sealed record CalibrationTruth(
    long ScanId,
    string File,
    string Band,
    double LoFrequencyHz,
    string Sideband,
    double PwvMm,
    double ElevationDeg,
    double AmbientTemperatureK,
    double ForwardEfficiency,
    double SidebandGainRatio,
    double HotTemperatureK,
    double ColdTemperatureK,
    ReceiverTruth Receiver);

namespace Scanflow.Engine.Simulation;

/// <summary>A Gaussian emission line in the signal sideband (calibration.md §3.1).</summary>
public sealed record SpectralLine(double AmplitudeK, double CenterHz, double FwhmHz);

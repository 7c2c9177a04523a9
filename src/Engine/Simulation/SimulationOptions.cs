using Scanflow.Engine.Formats;
using Scanflow.Engine.Model;

namespace Scanflow.Engine.Simulation;

/// <summary>What <c>scanflow simulate</c> writes: one calibration scan followed by <see cref="Scans"/> science scans.</summary>
public sealed record SimulationOptions
{
    public required string OutputDirectory { get; init; }
    public int Scans { get; init; } = 3;
    public Band Band { get; init; } = Band.Lfa;
    public ObsMode Mode { get; init; } = ObsMode.TotalPower;
    public int Pixels { get; init; } = 8;
    public int Channels { get; init; } = 1024;
    public int OnDumps { get; init; } = 100;
    public int OffDumps { get; init; } = 11;
    public double PwvMm { get; init; } = 0.5;
    public double ElevationDeg { get; init; } = 50;
    public int Seed { get; init; } = 1;
    public bool Noise { get; init; } = true;
    public RawLayout Layout { get; init; } = RawLayout.Contiguous;
    public bool FixedLengthStrings { get; init; }
    public long FirstScanId { get; init; } = 1;

    /// <summary>MJD of the calibration scan's first dump (default 2026-11-23 00:00 UTC).</summary>
    public double StartMjd { get; init; } = 61367.0;

    /// <summary>Dumps per load in the calibration scan, each <see cref="CalibrationIntegrationSeconds"/> long (§3.3: 5 s per load).</summary>
    public int CalibrationDumps { get; init; } = 5;
    public double CalibrationIntegrationSeconds { get; init; } = 1.0;

    /// <summary>Dump times; null picks the §3.3 template of the mode (TP 1 s ON and OFF; OTF 0.2 s ON, 2.5 s OFF).</summary>
    public double? OnIntegrationSeconds { get; init; }
    public double? OffIntegrationSeconds { get; init; }

    /// <summary>Channels with zero gain, spread over the pixels, that a correct pipeline flags.</summary>
    public int DeadChannels { get; init; } = 2;

    /// <summary>Model mismatch (calibration.md §3.4): the η_f the sky really has, while the raw header still reports
    /// <see cref="ScanSimulator.ForwardEfficiency"/>; null means no mismatch.</summary>
    public double? TrueForwardEfficiency { get; init; }

    /// <summary>Model mismatch: the sky's real T_atm − T_amb; the pipeline assumes −10 K (§2.3).</summary>
    public double TrueAtmosphereTemperatureOffsetK { get; init; } = -10.0;

    public double OnIntegration => OnIntegrationSeconds ?? (Mode == ObsMode.TotalPower ? 1.0 : 0.2);
    public double OffIntegration => OffIntegrationSeconds ?? (Mode == ObsMode.TotalPower ? 1.0 : 2.5);

    /// <summary>Checks ranges and returns the first problem as a sentence naming the option, or null.</summary>
    public string? Validate() => this switch
    {
        { Scans: < 0 } => $"--scans must be 0 or more (got {Scans})",
        { Pixels: < 1 or > 1024 } => $"--pixels must be between 1 and 1024 (got {Pixels})",
        { Channels: < 16 or > 1 << 20 } => $"--channels must be between 16 and 1048576 (got {Channels})",
        { OnDumps: < 1 } => $"--on-dumps must be at least 1 (got {OnDumps})",
        { OffDumps: < 1 } => $"--off-dumps must be at least 1 (got {OffDumps})",
        { PwvMm: < 0.01 or > 5 } => $"--pwv must be between 0.01 and 5 mm (got {PwvMm})",
        { ElevationDeg: < 10 or > 89 } => $"--elevation must be between 10 and 89 degrees (got {ElevationDeg})",
        _ => null,
    };
}

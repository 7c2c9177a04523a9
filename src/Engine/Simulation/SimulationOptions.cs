using Scanflow.Engine.Formats;
using Scanflow.Engine.Model;

namespace Scanflow.Engine.Simulation;

/// <summary>What <c>scanflow simulate</c> writes: one calibration scan followed by <see cref="Scans"/> science scans, and
/// with <see cref="CalibrationAfter"/> a second calibration scan after them.</summary>
public sealed record SimulationOptions
{
    /// <summary>Where the raw scans and <c>truth.json</c> are written; created if needed.</summary>
    public required string OutputDirectory { get; init; }
    /// <summary>Science scans after the first calibration scan.</summary>
    public int Scans { get; init; } = 3;
    /// <summary>Receiver band; fixes LO and sideband (LFA: 475 GHz USB, HFA: 812 GHz LSB).</summary>
    public Band Band { get; init; } = Band.Lfa;
    /// <summary>Observing mode of the science scans.</summary>
    public ObsMode Mode { get; init; } = ObsMode.TotalPower;
    /// <summary>Pixels per scan.</summary>
    public int Pixels { get; init; } = 8;
    /// <summary>Channels per pixel, spread over the 4–8 GHz IF band.</summary>
    public int Channels { get; init; } = 1024;
    /// <summary>ON dumps per science scan.</summary>
    public int OnDumps { get; init; } = 100;
    /// <summary>OFF dumps per science scan (OTF: in blocks of two when there are at least four).</summary>
    public int OffDumps { get; init; } = 11;
    /// <summary>Precipitable water vapour of the simulated atmosphere [mm].</summary>
    public double PwvMm { get; init; } = 0.5;
    /// <summary>Elevation of the calibration and first science scan [deg]; each later science scan is 0.5° higher.</summary>
    public double ElevationDeg { get; init; } = 50;
    /// <summary>Seed of every random draw: the same seed and options give the same files.</summary>
    public int Seed { get; init; } = 1;
    /// <summary>Whether counts get radiometer noise; false writes noiseless counts.</summary>
    public bool Noise { get; init; } = true;
    /// <summary>How counts are stored: contiguous, chunked per dump, or chunked and gzip-compressed.</summary>
    public RawLayout Layout { get; init; } = RawLayout.Contiguous;
    /// <summary>Write string attributes as fixed-length ASCII instead of variable-length UTF-8 (readers accept both).</summary>
    public bool FixedLengthStrings { get; init; }
    /// <summary>Scan number of the calibration scan; the science scans follow it.</summary>
    public long FirstScanId { get; init; } = 1;

    /// <summary>MJD of the calibration scan's first dump (default 2026-11-23 00:00 UTC).</summary>
    public double StartMjd { get; init; } = 61367.0;

    /// <summary>Dumps per load in the calibration scan, each <see cref="CalibrationIntegrationSeconds"/> long (§3.3: 5 s per load).</summary>
    public int CalibrationDumps { get; init; } = 5;
    /// <summary>Integration time of one calibration dump [s].</summary>
    public double CalibrationIntegrationSeconds { get; init; } = 1.0;

    /// <summary>ON dump time [s]; null picks the §3.3 template of the mode (TP 1 s ON and OFF; OTF 0.2 s ON, 2.5 s OFF).</summary>
    public double? OnIntegrationSeconds { get; init; }
    /// <summary>OFF dump time [s]; null picks the mode's template.</summary>
    public double? OffIntegrationSeconds { get; init; }

    /// <summary>Channels with zero gain, spread over the pixels, that a correct pipeline flags.</summary>
    public int DeadChannels { get; init; } = 2;

    /// <summary>Model mismatch (calibration.md §3.4): the η_f the sky really has, while the raw header still reports
    /// <see cref="ScanSimulator.ForwardEfficiency"/>; null means no mismatch.</summary>
    public double? TrueForwardEfficiency { get; init; }

    /// <summary>Model mismatch: the sky's real T_atm − T_amb; the pipeline assumes −10 K (§2.3).</summary>
    public double TrueAtmosphereTemperatureOffsetK { get; init; } = -10.0;

    /// <summary>Receiver gain drift [% per 10 minutes], linear in time (calibration.md §3.2): every dump's gain is
    /// G·(1 + drift/100 × (t − t_ref)/600 s), t the dump's MJD, t_ref the start of this run's first calibration scan.</summary>
    public double GainDriftPercentPer10Minutes { get; init; }

    /// <summary>Write a second calibration scan (same setup and loads) 10 s after the last science scan, numbered after it.</summary>
    public bool CalibrationAfter { get; init; }

    /// <summary>Issue 14: 0-based index of a pixel whose radiometer noise in the science scans' OFF and ON dumps is
    /// <see cref="NoiseFactor"/> times the nominal (§3.2), so its T_A* noise is that factor times σ_pred; null means none.
    /// Calibration scans keep the nominal noise, so the pixel's T_rx, T_sys and the PWV fit are those of a run without it.</summary>
    public int? NoisyPixel { get; init; }
    /// <summary>How many times the nominal radiometer noise <see cref="NoisyPixel"/> gets, 1 to 100.</summary>
    public double NoiseFactor { get; init; } = 2;

    /// <summary>Issue 14: 0-based index of a pixel whose science ON dumps carry a one-channel spur of
    /// ±<see cref="SpurAmplitudeSigma"/> σ_pred, its sign drawn per dump (truth.json names the channel); null means none.</summary>
    public int? SpurPixel { get; init; }
    /// <summary>Magnitude of the spur in units of the §3.4 σ_pred of its channel, T_sys·√(1/(B·τ_ON) + 1/(B·τ_OFF)), 1 to 1000.
    /// The default 40 lifts a 1024-channel pixel's adjacent-channel-difference RMS by a factor of at least √(1 + 40²/1023) ≈ 1.6.</summary>
    public double SpurAmplitudeSigma { get; init; } = 40;

    /// <summary>ON dump time in effect [s]: <see cref="OnIntegrationSeconds"/>, or the mode's template.</summary>
    public double OnIntegration => OnIntegrationSeconds ?? (Mode == ObsMode.TotalPower ? 1.0 : 0.2);
    /// <summary>OFF dump time in effect [s]: <see cref="OffIntegrationSeconds"/>, or the mode's template.</summary>
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
        { GainDriftPercentPer10Minutes: not (>= -20 and <= 20) } =>
            $"--gain-drift must be between -20 and 20 percent per 10 minutes (got {GainDriftPercentPer10Minutes})",
        { NoisyPixel: { } p } when p < 0 || p >= Pixels => $"--noisy-pixel must be a pixel index between 0 and {Pixels - 1} (got {p})",
        { NoiseFactor: not (>= 1 and <= 100) } => $"--noise-factor must be between 1 and 100 (got {NoiseFactor})",
        { NoisyPixel: not null, Noise: false } => "--noisy-pixel scales the radiometer noise, so it cannot be combined with --no-noise",
        { SpurPixel: { } p } when p < 0 || p >= Pixels => $"--spur-pixel must be a pixel index between 0 and {Pixels - 1} (got {p})",
        { SpurAmplitudeSigma: not (>= 1 and <= 1000) } => $"--spur-amplitude must be between 1 and 1000 (in units of sigma_pred) (got {SpurAmplitudeSigma})",
        _ => null,
    };
}

using Scanflow.Engine.Model;

namespace Scanflow.Engine.Formats;

/// <summary>The root attributes of a chai-raw scan plus its axis lengths: everything planning needs without reading counts.</summary>
public sealed record RawScanHeader
{
    /// <summary>The raw file this header was read from.</summary>
    public required string FilePath { get; init; }
    /// <summary>The scan number (<c>scan_id</c>).</summary>
    public required long ScanId { get; init; }
    /// <summary>Calibration or science scan (<c>kind</c>).</summary>
    public required ScanKind Kind { get; init; }
    /// <summary>Receiver band (<c>band</c>).</summary>
    public required Band Band { get; init; }
    /// <summary>Local-oscillator frequency [Hz] (<c>lo_frequency_hz</c>).</summary>
    public required double LoFrequencyHz { get; init; }
    /// <summary>The signal sideband (<c>sideband</c>).</summary>
    public required Sideband Sideband { get; init; }
    /// <summary>Image-to-signal sideband gain ratio G_i/G_s (<c>sideband_gain_ratio</c>).</summary>
    public required double SidebandGainRatio { get; init; }
    /// <summary>Forward efficiency η_f (<c>forward_efficiency</c>).</summary>
    public required double ForwardEfficiency { get; init; }
    /// <summary>Ambient temperature T_amb [K] (<c>t_amb_k</c>).</summary>
    public required double AmbientTemperatureK { get; init; }
    /// <summary>Ambient pressure [hPa] (<c>pressure_hpa</c>); read, not used by the calibration.</summary>
    public required double PressureHpa { get; init; }
    /// <summary>MJD (UTC) at which the scan starts (<c>start_mjd</c>).</summary>
    public required double StartMjd { get; init; }
    /// <summary>Name of the observed source (<c>source</c>).</summary>
    public required string Source { get; init; }
    /// <summary>Project the scan belongs to (<c>project</c>).</summary>
    public required string Project { get; init; }
    /// <summary>Equivalent noise bandwidth of one channel [Hz] (<c>channel_enbw_hz</c>); null when the file omits it, and the
    /// calibration then uses 0.96 × the median channel spacing.</summary>
    public double? ChannelEnbwHz { get; init; }
    /// <summary>Pixels in the scan (length of <c>/pixel_id</c>).</summary>
    public required int Pixels { get; init; }
    /// <summary>Channels per pixel (length of <c>/if_frequency_hz</c>).</summary>
    public required int Channels { get; init; }

    /// <summary>Calibration scans only: hot load temperature [K] (<c>t_hot_k</c>); NaN for a science scan.</summary>
    public double HotTemperatureK { get; init; } = double.NaN;
    /// <summary>Calibration scans only: cold load temperature [K] (<c>t_cold_k</c>); NaN for a science scan.</summary>
    public double ColdTemperatureK { get; init; } = double.NaN;
    /// <summary>Calibration scans only: elevation of the sky load [deg] (<c>elevation_deg</c>); NaN for a science scan.</summary>
    public double ElevationDeg { get; init; } = double.NaN;

    /// <summary>Science scans only: observing mode (<c>obs_mode</c>); null for a calibration scan.</summary>
    public ObsMode? ObsMode { get; init; }
    /// <summary>Science scans only: ON dumps in <c>/on/counts</c>; 0 for a calibration scan.</summary>
    public int OnDumps { get; init; }
    /// <summary>Science scans only: OFF dumps in <c>/off/counts</c>; 0 for a calibration scan.</summary>
    public int OffDumps { get; init; }
    /// <summary>Science scans only: MJD of the last ON dump (the latest of <c>/on/mjd</c>), which a later calibration must
    /// follow (calibration.md §7.10); NaN for a calibration scan.</summary>
    public double LastOnMjd { get; init; } = double.NaN;

    /// <summary>Bytes of one dump of counts: pixels × channels × float32.</summary>
    public long DumpBytes => (long)Pixels * Channels * sizeof(float);

    /// <summary>One line naming the scan for messages: kind, id, band, LO frequency, sideband and shape.</summary>
    public string Describe() =>
        $"{ModelNames.Of(Kind)} scan {ScanId} ({ModelNames.Of(Band)} LO {LoFrequencyHz / 1e9:F3} GHz {ModelNames.Of(Sideband)}, {Pixels} pixels × {Channels} channels)";
}

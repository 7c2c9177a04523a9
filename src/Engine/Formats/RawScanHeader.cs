using Scanflow.Engine.Model;

namespace Scanflow.Engine.Formats;

/// <summary>The root attributes of a chai-raw scan plus its axis lengths: everything planning needs without reading counts.</summary>
public sealed record RawScanHeader
{
    public required string FilePath { get; init; }
    public required long ScanId { get; init; }
    public required ScanKind Kind { get; init; }
    public required Band Band { get; init; }
    public required double LoFrequencyHz { get; init; }
    public required Sideband Sideband { get; init; }
    public required double SidebandGainRatio { get; init; }
    public required double ForwardEfficiency { get; init; }
    public required double AmbientTemperatureK { get; init; }
    public required double PressureHpa { get; init; }
    public required double StartMjd { get; init; }
    public required string Source { get; init; }
    public required string Project { get; init; }
    public double? ChannelEnbwHz { get; init; }
    public required int Pixels { get; init; }
    public required int Channels { get; init; }

    /// <summary>Calibration scans only: hot and cold load temperatures and the sky elevation.</summary>
    public double HotTemperatureK { get; init; } = double.NaN;
    public double ColdTemperatureK { get; init; } = double.NaN;
    public double ElevationDeg { get; init; } = double.NaN;

    /// <summary>Science scans only.</summary>
    public ObsMode? ObsMode { get; init; }
    public int OnDumps { get; init; }
    public int OffDumps { get; init; }

    /// <summary>Bytes of one dump of counts: pixels × channels × float32.</summary>
    public long DumpBytes => (long)Pixels * Channels * sizeof(float);

    public string Describe() =>
        $"{ModelNames.Of(Kind)} scan {ScanId} ({ModelNames.Of(Band)} LO {LoFrequencyHz / 1e9:F3} GHz {ModelNames.Of(Sideband)}, {Pixels} pixels × {Channels} channels)";
}

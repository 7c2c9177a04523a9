namespace Scanflow.Engine.Formats;

/// <summary>Names of the <c>chai-raw</c> v1 layout (shared formats.md), in one place for reader and writer.</summary>
internal static class RawFormat
{
    public const string Name = "chai-raw";
    public const int Version = 1;

    public const string FormatAttribute = "format";
    public const string FormatVersionAttribute = "format_version";
    public const string ScanIdAttribute = "scan_id";
    public const string KindAttribute = "kind";
    public const string BandAttribute = "band";
    public const string LoFrequencyAttribute = "lo_frequency_hz";
    public const string SidebandAttribute = "sideband";
    public const string SidebandGainRatioAttribute = "sideband_gain_ratio";
    public const string ForwardEfficiencyAttribute = "forward_efficiency";
    public const string AmbientTemperatureAttribute = "t_amb_k";
    public const string PressureAttribute = "pressure_hpa";
    public const string StartMjdAttribute = "start_mjd";
    public const string SourceAttribute = "source";
    public const string ProjectAttribute = "project";
    public const string ChannelEnbwAttribute = "channel_enbw_hz";
    public const string HotTemperatureAttribute = "t_hot_k";
    public const string ColdTemperatureAttribute = "t_cold_k";
    public const string ElevationAttribute = "elevation_deg";
    public const string ObsModeAttribute = "obs_mode";
    public const string IntegrationAttribute = "integration_s";

    public const string IntermediateFrequencyDataset = "if_frequency_hz";
    public const string PixelIdDataset = "pixel_id";
    public const string CountsDataset = "counts";
    public const string MjdDataset = "mjd";
    public const string ElevationDataset = "elevation_deg";
    public const string OffsetDataset = "offset_arcsec";

    public const string HotGroup = "hot";
    public const string ColdGroup = "cold";
    public const string SkyGroup = "sky";
    public const string OffGroup = "off";
    public const string OnGroup = "on";
}

namespace Scanflow.Engine.Formats;

/// <summary>Names of the <c>scanflow-l1</c> v1 layout (shared formats.md).</summary>
internal static class L1Format
{
    public const string Name = "scanflow-l1";
    public const int Version = 1;

    public const string TaStarDataset = "ta_star";
    public const string FrequencyDataset = "frequency_hz";
    public const string ImageFrequencyDataset = "image_frequency_hz";
    public const string PixelIdDataset = "pixel_id";
    public const string MjdDataset = "mjd";
    public const string ElevationDataset = "elevation_deg";
    public const string OffsetDataset = "offset_arcsec";
    public const string SystemTemperatureDataset = "tsys_k";
    public const string ReceiverTemperatureDataset = "trx_k";
    public const string CalibrationTemperatureDataset = "tcal_k";
    public const string SkyTemperatureDataset = "tsky_k";
    public const string TauSignalDataset = "tau_signal";
    public const string TauImageDataset = "tau_image";
    public const string TransmissionSignalDataset = "tr_signal";
    public const string TransmissionImageDataset = "tr_image";
    public const string PixelPwvDataset = "pwv_pixel_mm";
    public const string ChannelFlagDataset = "channel_flag";
    public const string DumpFlagDataset = "dump_flag";

    /// <summary>The float32 a dataset stores for a float64 quantity: the narrowing, or NaN (unknown) where that is
    /// ±∞ (an infinite value, or one too large for float32): no ±∞ in a product.</summary>
    public static float Stored(double value)
    {
        var narrowed = (float)value;
        return float.IsFinite(narrowed) ? narrowed : float.NaN;
    }
}

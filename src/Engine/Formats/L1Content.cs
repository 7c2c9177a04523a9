namespace Scanflow.Engine.Formats;

/// <summary>Everything in an L1 product except <c>/ta_star</c>, which is appended block by block.
/// Per-pixel-per-channel arrays are flat, <c>p * channels + k</c>.</summary>
internal sealed record L1Content
{
    public required L1Attributes Attributes { get; init; }
    public required double[] FrequencyHz { get; init; }
    public required double[] ImageFrequencyHz { get; init; }
    public required int[] PixelIds { get; init; }
    public required double[] Mjd { get; init; }
    public required double[] ElevationDeg { get; init; }
    public required double[] OffsetArcsec { get; init; }
    public required float[] SystemTemperatureK { get; init; }
    public required float[] ReceiverTemperatureK { get; init; }
    public required float[] CalibrationTemperatureK { get; init; }
    public required float[] SkyTemperatureK { get; init; }
    public required float[] TauSignal { get; init; }
    public required float[] TauImage { get; init; }
    public required float[] TransmissionSignal { get; init; }
    public required float[] TransmissionImage { get; init; }
    public required float[] PixelPwvMm { get; init; }
    public required byte[] ChannelFlags { get; init; }
    public required byte[] DumpFlags { get; init; }

    public int Pixels => PixelIds.Length;

    public int Channels => FrequencyHz.Length;

    public int Dumps => Mjd.Length;
}

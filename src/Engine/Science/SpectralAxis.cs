using Scanflow.Engine.Model;

namespace Scanflow.Engine.Science;

/// <summary>Channel frequencies of one band: IF, signal and image sky frequency [Hz] (calibration.md §1.1).</summary>
internal sealed class SpectralAxis
{
    /// <summary>ENBW of an FFTS channel relative to its spacing (calibration.md §7.5, §3.2).</summary>
    internal const double EnbwPerChannelSpacing = 0.96;

    public SpectralAxis(double loFrequencyHz, Sideband sideband, double[] intermediateFrequencyHz, double? channelEnbwHz = null)
    {
        ArgumentNullException.ThrowIfNull(intermediateFrequencyHz);
        if (intermediateFrequencyHz.Length == 0)
        {
            throw new ArgumentException("The spectral axis needs at least one channel.", nameof(intermediateFrequencyHz));
        }

        if (channelEnbwHz is { } enbw && (!double.IsFinite(enbw) || enbw <= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(channelEnbwHz), enbw, "channel_enbw_hz must be finite and > 0.");
        }

        if (channelEnbwHz is null && intermediateFrequencyHz.Length < 2)
        {
            throw new ArgumentException("One channel has no spacing: the noise bandwidth needs channel_enbw_hz.", nameof(intermediateFrequencyHz));
        }

        LoFrequencyHz = loFrequencyHz;
        Sideband = sideband;
        IntermediateFrequencyHz = (double[])intermediateFrequencyHz.Clone();
        Channels = IntermediateFrequencyHz.Length;
        SignalFrequencyHz = new double[Channels];
        ImageFrequencyHz = new double[Channels];
        for (int k = 0; k < Channels; k++)
        {
            // calibration.md §1.1: USB ν_s = LO + IF, LSB ν_s = LO − IF; ν_i = 2·LO − ν_s.
            double signal = sideband switch
            {
                Sideband.Usb => loFrequencyHz + IntermediateFrequencyHz[k],
                Sideband.Lsb => loFrequencyHz - IntermediateFrequencyHz[k],
                _ => throw new ArgumentOutOfRangeException(nameof(sideband)),
            };
            SignalFrequencyHz[k] = signal;
            ImageFrequencyHz[k] = 2.0 * loFrequencyHz - signal;
        }

        NoiseBandwidthHz = channelEnbwHz ?? EnbwPerChannelSpacing * MedianSpacing(IntermediateFrequencyHz);
    }

    public int Channels { get; }

    public double LoFrequencyHz { get; }

    public Sideband Sideband { get; }

    public double[] IntermediateFrequencyHz { get; }

    public double[] SignalFrequencyHz { get; }

    public double[] ImageFrequencyHz { get; }

    /// <summary>B of the radiometer equation: <c>channel_enbw_hz</c>, else 0.96 × median |ΔIF| (calibration.md §7.5).</summary>
    public double NoiseBandwidthHz { get; }

    private static double MedianSpacing(double[] intermediateFrequencyHz)
    {
        var spacing = new double[intermediateFrequencyHz.Length - 1];
        for (int k = 0; k < spacing.Length; k++)
        {
            spacing[k] = Math.Abs(intermediateFrequencyHz[k + 1] - intermediateFrequencyHz[k]);
        }

        return Median.OfInPlace(spacing);
    }
}

namespace Scanflow.Engine.Simulation;

/// <summary>The injected receiver (calibration.md §3.1): T_rx with a mild ripple, gain with a raised-cosine bandpass,
/// and dead channels (zero gain) that a correct pipeline flags.</summary>
public sealed record ReceiverTruth(
    double[] TrxBaseK, double[] TrxRipplePhase, double TrxRippleAmplitude, double[] GainPeak, IReadOnlyList<ChannelIndex> DeadChannels)
{
    /// <summary>Fraction of the band at each edge over which the bandpass rolls off to <see cref="EdgeGain"/>.</summary>
    public const double EdgeWidth = 0.1;

    /// <summary>Bandpass gain at the very band edges, relative to the middle of the band.</summary>
    public const double EdgeGain = 0.7;

    /// <summary>Pixels the receiver has.</summary>
    public int Pixels => TrxBaseK.Length;

    /// <summary>Injected T_rx [K] of one channel: T_p·(1 + a·sin(2πk/N·3 + φ_p)) (calibration.md §8.1).</summary>
    public double ReceiverTemperature(int pixel, int channel, int channels) =>
        TrxBaseK[pixel] * (1 + TrxRippleAmplitude * Math.Sin((2 * Math.PI * channel / channels * 3) + TrxRipplePhase[pixel]));

    /// <summary>Injected gain of one channel: the pixel's peak gain times the raised-cosine bandpass, 0 for a dead channel.</summary>
    public double Gain(int pixel, int channel, int channels)
    {
        foreach (var dead in DeadChannels)
        {
            if (dead.Pixel == pixel && dead.Channel == channel)
            {
                return 0;
            }
        }

        var x = (channel + 0.5) / channels;
        var edge = Math.Min(x, 1 - x);
        var bandpass = edge >= EdgeWidth ? 1.0 : EdgeGain + ((1 - EdgeGain) * 0.5 * (1 - Math.Cos(Math.PI * edge / EdgeWidth)));
        return GainPeak[pixel] * bandpass;
    }
}

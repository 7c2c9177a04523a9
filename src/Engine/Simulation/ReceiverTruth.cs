using System.Text.Json.Serialization;

namespace Scanflow.Engine.Simulation;

/// <summary>The injected receiver (calibration.md §3.1): T_rx with a mild ripple, gain with a raised-cosine bandpass,
/// and dead channels (zero gain) that a correct pipeline flags. Its gain may drift linearly in time (§3.2): the gain
/// at MJD t is <see cref="Gain"/> × <see cref="GainFactor"/>(t). A truth file written before the drift existed reads
/// as no drift.</summary>
public sealed record ReceiverTruth(
    double[] TrxBaseK,
    double[] TrxRipplePhase,
    double TrxRippleAmplitude,
    double[] GainPeak,
    IReadOnlyList<ChannelIndex> DeadChannels,
    [property: JsonPropertyName("gain_drift_percent_per_10_minutes")] double GainDriftPercentPer10Minutes = 0,
    double GainDriftReferenceMjd = 0)
{
    /// <summary>Seconds over which <see cref="GainDriftPercentPer10Minutes"/> is counted.</summary>
    public const double GainDriftSpanSeconds = 600;

    /// <summary>Fraction of the band at each edge over which the bandpass rolls off to <see cref="EdgeGain"/>.</summary>
    public const double EdgeWidth = 0.1;

    /// <summary>Bandpass gain at the very band edges, relative to the middle of the band.</summary>
    public const double EdgeGain = 0.7;

    /// <summary>Pixels the receiver has.</summary>
    public int Pixels => TrxBaseK.Length;

    /// <summary>Injected T_rx [K] of one channel: T_p·(1 + a·sin(2πk/N·3 + φ_p)) (calibration.md §8.1).</summary>
    public double ReceiverTemperature(int pixel, int channel, int channels) =>
        TrxBaseK[pixel] * (1 + TrxRippleAmplitude * Math.Sin((2 * Math.PI * channel / channels * 3) + TrxRipplePhase[pixel]));

    /// <summary>The gain at <paramref name="mjd"/> relative to <see cref="Gain"/>: 1 + drift/100 × (t − t_ref)/600 s, with
    /// t_ref = <see cref="GainDriftReferenceMjd"/>, the start of the first calibration scan of the simulator run.</summary>
    public double GainFactor(double mjd) =>
        1 + (GainDriftPercentPer10Minutes / 100 * ((mjd - GainDriftReferenceMjd) * 86400.0) / GainDriftSpanSeconds);

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

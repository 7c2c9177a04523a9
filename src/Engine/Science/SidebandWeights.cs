namespace Scanflow.Engine.Science;

/// <summary>Normalised sideband gains g_s and g_i, g_s + g_i = 1 (calibration.md §1.1 DSB rule).</summary>
internal readonly record struct SidebandWeights(double Signal, double Image)
{
    /// <summary>G_i/G_s, the raw attribute <c>sideband_gain_ratio</c>.</summary>
    public double GainRatio => Image / Signal;

    /// <summary>From r = G_i/G_s: g_s = 1/(1+r), g_i = r/(1+r).</summary>
    public static SidebandWeights FromGainRatio(double imageToSignalGainRatio)
    {
        if (!double.IsFinite(imageToSignalGainRatio) || imageToSignalGainRatio < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(imageToSignalGainRatio), imageToSignalGainRatio, "The sideband gain ratio G_i/G_s must be finite and ≥ 0.");
        }

        double sum = 1.0 + imageToSignalGainRatio;
        return new SidebandWeights(1.0 / sum, imageToSignalGainRatio / sum);
    }
}

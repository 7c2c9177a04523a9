namespace Scanflow.Engine.Science;

/// <summary>
/// calibration.md §7.10 for one science scan: what the kernel needs to interpolate T_cal and C_hot − C_sky in time between
/// C₁ and C₂. Per channel, q = T_cal,2/T_cal,1 − 1 and r = D₂/D₁ − 1 (D = C_hot − C_sky), so the scale at weight u is
/// scale₁·(1 + u·q)/(1 + u·r); per ON dump, u = clamp((t − t₁)/(t₂ − t₁), 0, 1). The changes are a few per cent, so
/// float32 keeps them to ~1e-9 of the scale.
/// </summary>
internal sealed class InterpolatedGain
{
    private InterpolatedGain(float[] calibrationTemperatureChange, float[] hotMinusSkyChange, double[] weights)
    {
        CalibrationTemperatureChange = calibrationTemperatureChange;
        HotMinusSkyChange = hotMinusSkyChange;
        Weights = weights;
    }

    /// <summary>q = T_cal,2/T_cal,1 − 1, flat [p·K + k].</summary>
    public float[] CalibrationTemperatureChange { get; }

    /// <summary>r = D₂/D₁ − 1, flat [p·K + k].</summary>
    public float[] HotMinusSkyChange { get; }

    /// <summary>u of each ON dump.</summary>
    public double[] Weights { get; }

    /// <summary>Builds the interpolation of <paramref name="first"/> (at <paramref name="firstMjd"/>) and
    /// <paramref name="second"/> (at <paramref name="secondMjd"/>) for ON dumps at <paramref name="onMjd"/>. The flags of C₂
    /// are OR-ed into <paramref name="flags"/>, and a channel whose interpolated scale would not be finite (D₂ of the
    /// other sign than D₁, a non-finite change) is flagged bad.</summary>
    public static InterpolatedGain Create(
        CalibrationSolution first, HotColdSolution firstLoads, double firstMjd,
        CalibrationSolution second, HotColdSolution secondLoads, double secondMjd,
        ReadOnlySpan<double> onMjd, Span<ChannelFlags> flags)
    {
        if (!(secondMjd > firstMjd))
        {
            throw new ArgumentException($"The later calibration (MJD {secondMjd}) must be placed after the first (MJD {firstMjd}).", nameof(secondMjd));
        }

        int pixels = firstLoads.Pixels, channels = firstLoads.Channels;
        var q = new float[pixels * channels];
        var r = new float[pixels * channels];
        for (int p = 0; p < pixels; p++)
        {
            for (int k = 0; k < channels; k++)
            {
                int i = (p * channels) + k;
                flags[i] |= second.Flags[i];
                double tcal = second.CalibrationTemperature(p, k) / first.CalibrationTemperature(p, k);
                double hotMinusSky = secondLoads.HotMinusSkyCounts[i] / firstLoads.HotMinusSkyCounts[i];
                if (!(hotMinusSky > 0) || !double.IsFinite(hotMinusSky) || !double.IsFinite(tcal))
                {
                    flags[i] |= ChannelFlags.BadChannel;
                    continue;
                }

                q[i] = (float)(tcal - 1.0);
                r[i] = (float)(hotMinusSky - 1.0);
            }
        }

        var weights = new double[onMjd.Length];
        for (int d = 0; d < onMjd.Length; d++)
        {
            weights[d] = Math.Clamp((onMjd[d] - firstMjd) / (secondMjd - firstMjd), 0.0, 1.0);
        }

        return new InterpolatedGain(q, r, weights);
    }

    /// <summary>The largest |scale(u)/scale₁| over u in [0, 1] for element <paramref name="i"/>: the scale is monotonic in
    /// u, so one of the ends.</summary>
    public double MaxScaleRatio(int i) => Math.Max(1.0, Math.Abs((1.0 + CalibrationTemperatureChange[i]) / (1.0 + HotMinusSkyChange[i])));
}

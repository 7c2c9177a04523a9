using Scanflow.Engine.Formats;

namespace Scanflow.Engine.Science;

/// <summary>
/// Everything a science scan needs from one calibration, at the science scan's mean ON airmass
/// (calibration.md §1.5, §7.3): τ and t per channel, T_sys and T_cal, the flags with the atmosphere-core
/// bit (§7.4 bit 2), and the float T_A* scale of the §1.6 primary form. One per science scan: T_sys and T_cal are
/// kept only as the float32 values the product stores (their float64 values are recomputed on demand), so a scan at
/// CHAI's shape allocates 2 × 16 MiB for them instead of 2 × 32 MiB plus 2 × 16 MiB of copies.
/// </summary>
internal sealed class CalibrationSolution
{
    /// <summary>t_s below this at A_mean flags the channel as an atmosphere core (§7.4 bit 2).</summary>
    internal const double CoreTransmission = 0.05;

    private readonly HotColdSolution _loads;

    /// <summary>(1 + G_i/G_s)/(η_f·t_s[k]): the factor that takes a DSB temperature outside the atmosphere (§1.5).</summary>
    private readonly double[] _outside;

    private CalibrationSolution(HotColdSolution loads, double meanOnAirmass, double pwvMm)
    {
        int pixels = loads.Pixels;
        int channels = loads.Channels;
        _loads = loads;
        _outside = new double[channels];
        MeanOnAirmass = meanOnAirmass;
        PwvMm = pwvMm;
        TauSignal = new double[channels];
        TauImage = new double[channels];
        TransmissionSignal = new double[channels];
        TransmissionImage = new double[channels];
        SystemTemperatureK = new float[pixels * channels];
        CalibrationTemperatureK = new float[pixels * channels];
        Flags = new ChannelFlags[pixels * channels];
        Scale = new float[pixels * channels];
    }

    /// <summary>τ_s[k] at zenith [Np].</summary>
    public double[] TauSignal { get; }

    /// <summary>τ_i[k] at zenith [Np].</summary>
    public double[] TauImage { get; }

    /// <summary>t_s[k] at <see cref="MeanOnAirmass"/>.</summary>
    public double[] TransmissionSignal { get; }

    /// <summary>t_i[k] at <see cref="MeanOnAirmass"/>.</summary>
    public double[] TransmissionImage { get; }

    /// <summary>SSB T_sys outside the atmosphere [K], flat [p·K + k] (§1.5), as the product stores it
    /// (<see cref="L1Format.Stored"/> of <see cref="SystemTemperature"/>).</summary>
    public float[] SystemTemperatureK { get; }

    /// <summary>Chopper scale T_cal [K], flat [p·K + k] (§1.5), as the product stores it
    /// (<see cref="L1Format.Stored"/> of <see cref="CalibrationTemperature"/>).</summary>
    public float[] CalibrationTemperatureK { get; }

    /// <summary>The calibration's flags plus AtmosphereCore where t_s &lt; 0.05 at A_mean (§7.4).</summary>
    public ChannelFlags[] Flags { get; }

    /// <summary>T_cal/(C_hot − C_sky) [K/count] as float, NaN wherever <see cref="Flags"/> ≠ 0 (§1.6, §7.4). The scan's
    /// context adds NaN in place where the OFF counts flag a channel.</summary>
    public float[] Scale { get; }

    public double MeanOnAirmass { get; }

    public double PwvMm { get; }

    /// <param name="loads">The hot/cold/sky solution of the paired calibration.</param>
    /// <param name="fit">The PWV fit of that calibration (provenance; <paramref name="pwvMm"/> is what is used).</param>
    /// <param name="sky">The sky model of the calibration (axis, g_s/g_i, η_f).</param>
    /// <param name="meanOnAirmass">A_mean = mean(1/sin el) over the science scan's ON dumps (§7.3).</param>
    /// <param name="pwvMm">fit.PwvMm, or the last good PWV when the fit failed (§2.5); the caller decides.</param>
    public static CalibrationSolution Create(HotColdSolution loads, AtmosphereFitResult fit, SkyModel sky, double meanOnAirmass, double pwvMm)
    {
        ArgumentNullException.ThrowIfNull(loads);
        ArgumentNullException.ThrowIfNull(fit);
        ArgumentNullException.ThrowIfNull(sky);
        if (loads.Channels != sky.Axis.Channels)
        {
            throw new ArgumentException($"The calibration has {loads.Channels} channels; the sky model has {sky.Axis.Channels}.", nameof(sky));
        }

        if (!double.IsFinite(meanOnAirmass) || meanOnAirmass < 1.0)
        {
            throw new ArgumentOutOfRangeException(nameof(meanOnAirmass), meanOnAirmass, "The mean ON airmass must be finite and ≥ 1.");
        }

        if (!double.IsFinite(pwvMm) || pwvMm < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(pwvMm), pwvMm, "The PWV must be finite and ≥ 0 mm.");
        }

        int pixels = loads.Pixels;
        int channels = loads.Channels;
        var solution = new CalibrationSolution(loads, meanOnAirmass, pwvMm);

        // §2.5 then §7.3: τ at zenith, t at the science scan's mean ON airmass.
        sky.ZenithOpacity(pwvMm, solution.TauSignal, solution.TauImage);
        sky.Transmission(pwvMm, meanOnAirmass, solution.TransmissionSignal, solution.TransmissionImage);

        double sidebandFactor = 1.0 + sky.Weights.GainRatio; // (1 + G_i/G_s)
        double eta = sky.Conditions.ForwardEfficiency;
        for (int k = 0; k < channels; k++)
        {
            solution._outside[k] = sidebandFactor / (eta * solution.TransmissionSignal[k]);
        }

        for (int p = 0; p < pixels; p++)
        {
            for (int k = 0; k < channels; k++)
            {
                int i = (p * channels) + k;
                solution.SystemTemperatureK[i] = L1Format.Stored(solution.SystemTemperature(p, k));
                double tcal = solution.CalibrationTemperature(p, k);
                solution.CalibrationTemperatureK[i] = L1Format.Stored(tcal);

                var flags = loads.Flags[i];
                if (solution.TransmissionSignal[k] < CoreTransmission)
                {
                    flags |= ChannelFlags.AtmosphereCore;
                }

                solution.Flags[i] = flags;

                // §1.6 primary form: T_A* = T_cal·(C_ON − C_OFF)/(C_hot − C_sky), from T_cal in float64; NaN where flagged (§7.4).
                solution.Scale[i] = flags == ChannelFlags.None
                    ? (float)(tcal / loads.HotMinusSkyCounts[i])
                    : float.NaN;
            }
        }

        return solution;
    }

    /// <summary>§1.5: T_sys = (T_rx + T_sky_meas)·(1 + G_i/G_s)/(η_f·t_s) [K] of <paramref name="pixel"/> and
    /// <paramref name="channel"/>, in float64.</summary>
    public double SystemTemperature(int pixel, int channel)
    {
        int i = (pixel * _loads.Channels) + channel;
        return (_loads.ReceiverTemperatureK[i] + _loads.SkyTemperatureK[i]) * _outside[channel];
    }

    /// <summary>§1.5: T_cal = (J_hot − T_sky_meas)·(1 + G_i/G_s)/(η_f·t_s) [K] of <paramref name="pixel"/> and
    /// <paramref name="channel"/>, in float64.</summary>
    public double CalibrationTemperature(int pixel, int channel)
    {
        int i = (pixel * _loads.Channels) + channel;
        return (_loads.HotRadiationK[channel] - _loads.SkyTemperatureK[i]) * _outside[channel];
    }
}

using Scanflow.Engine.Model;
using Scanflow.Engine.Science;

namespace Scanflow.Engine.Tests.Science;

/// <summary>Builds calibration-scan loads from a known truth with the forward model of calibration.md §3.2.</summary>
internal static class SyntheticCalibration
{
    public const double HotK = 290.0;
    public const double ColdK = 80.0;

    /// <summary>§7.7: IF_k = 4 GHz + (k + ½)·4 GHz/N.</summary>
    public static double[] IntermediateFrequencies(int channels) =>
        Enumerable.Range(0, channels).Select(k => 4e9 + ((k + 0.5) * 4e9 / channels)).ToArray();

    /// <summary>LFA: LO 475 GHz, signal in USB (§7.7).</summary>
    public static SpectralAxis Lfa(int channels) => new(475e9, Sideband.Usb, IntermediateFrequencies(channels));

    /// <summary>HFA: LO 812 GHz, signal in LSB (§7.7).</summary>
    public static SpectralAxis Hfa(int channels) => new(812e9, Sideband.Lsb, IntermediateFrequencies(channels));

    public static SkyModel Sky(SpectralAxis axis, double gainRatio = 1.0, JMode mode = JMode.Planck) =>
        new(axis, SidebandWeights.FromGainRatio(gainRatio), new AtmosphereConditions(270.0, 0.95), mode, AtmosphereModel.Default);

    /// <summary>DSB load radiation g_s·J(ν_s,T) + g_i·J(ν_i,T) (§1.1), computed here independently of the engine.</summary>
    public static double LoadRadiation(SkyModel sky, int k, double temperatureK) =>
        (sky.Weights.Signal * RadiationTemperature.J(sky.Axis.SignalFrequencyHz[k], temperatureK, sky.Mode))
        + (sky.Weights.Image * RadiationTemperature.J(sky.Axis.ImageFrequencyHz[k], temperatureK, sky.Mode));

    /// <summary>T_rx varies with pixel and channel (a mild ripple, §3.1).</summary>
    public static double ReceiverTemperature(int p, int k, int channels) =>
        (120.0 + (40.0 * p)) * (1.0 + (0.05 * Math.Sin((2.0 * Math.PI * k / channels * 3.0) + p)));

    /// <summary>G = G0_p·B(k) with a raised-cosine bandpass (§3.1).</summary>
    public static double Gain(int p, int k, int channels) =>
        Math.Pow(10.0, 3.0 + (0.5 * p)) * (0.85 + (0.15 * Math.Cos(Math.PI * ((2.0 * (k + 0.5) / channels) - 1.0))));

    /// <summary>
    /// C_L = G·(T_rx + J_L); the sky load sees T_sky_model(PWV, A) (§3.2). With <paramref name="noise"/>, the sky
    /// power is multiplied by 1 + n/√(B·t_sky), n ~ N(0,1), so T_sky_meas carries exactly the §7.5 σ.
    /// </summary>
    public static CalibrationLoads Loads(SkyModel sky, int pixels, double pwvMm, double elevationDeg, double skySeconds = 5.0, Random? noise = null)
    {
        int channels = sky.Axis.Channels;
        double airmass = SkyModel.Airmass(elevationDeg);
        double radiometer = Math.Sqrt(sky.Axis.NoiseBandwidthHz * skySeconds);
        var hot = new double[pixels * channels];
        var cold = new double[pixels * channels];
        var skyCounts = new double[pixels * channels];
        for (int p = 0; p < pixels; p++)
        {
            for (int k = 0; k < channels; k++)
            {
                int i = (p * channels) + k;
                double trx = ReceiverTemperature(p, k, channels);
                double g = Gain(p, k, channels);
                hot[i] = g * (trx + LoadRadiation(sky, k, HotK));
                cold[i] = g * (trx + LoadRadiation(sky, k, ColdK));
                double factor = noise is null ? 1.0 : 1.0 + (Gaussian(noise) / radiometer);
                skyCounts[i] = g * (trx + sky.Brightness(k, pwvMm, airmass)) * factor;
            }
        }

        return new CalibrationLoads(pixels, channels, hot, cold, skyCounts, HotK, ColdK, elevationDeg, skySeconds);
    }

    /// <summary>Box–Muller standard normal.</summary>
    public static double Gaussian(Random random)
    {
        double u1 = 1.0 - random.NextDouble();
        double u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}

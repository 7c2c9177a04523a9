using Scanflow.Engine.Science;

namespace Scanflow.Engine.Tests.Science;

public class CalibrationSolutionTests
{
    private const int Pixels = 3;
    private const int Channels = 128;

    [Fact]
    public void System_and_calibration_temperatures_follow_the_spec_formulas()
    {
        const double gainRatio = 0.6;
        const double pwv = 0.7;
        const double meanAirmass = 1.3;
        var sky = SyntheticCalibration.Sky(SyntheticCalibration.Hfa(Channels), gainRatio);
        var raw = SyntheticCalibration.Loads(sky, Pixels, pwv, 50.0);
        var loads = HotColdSolution.Solve(raw, sky);
        var fit = AtmosphereFit.Fit(loads, sky);

        var calibration = CalibrationSolution.Create(loads, fit, sky, meanAirmass, pwv);

        // calibration.md §1.5 by hand for pixel 2, channel 37.
        const int k = 37;
        int i = (2 * Channels) + k;
        double tauSignal = AtmosphereModel.Default.ZenithOpacity(sky.Axis.SignalFrequencyHz[k], pwv);
        double tauImage = AtmosphereModel.Default.ZenithOpacity(sky.Axis.ImageFrequencyHz[k], pwv);
        double ts = Math.Exp(-tauSignal * meanAirmass);
        double trx = SyntheticCalibration.ReceiverTemperature(2, k, Channels);
        double tsky = sky.Brightness(k, pwv, SkyModel.Airmass(50.0));
        double jHot = SyntheticCalibration.LoadRadiation(sky, k, SyntheticCalibration.HotK);
        double tsys = (trx + tsky) * (1.0 + gainRatio) / (0.95 * ts);
        double tcal = (jHot - tsky) * (1.0 + gainRatio) / (0.95 * ts);

        Assert.Equal(tauSignal, calibration.TauSignal[k], 14);
        Assert.Equal(tauImage, calibration.TauImage[k], 14);
        Assert.Equal(ts, calibration.TransmissionSignal[k], 14);
        Assert.Equal(Math.Exp(-tauImage * meanAirmass), calibration.TransmissionImage[k], 14);
        Assert.Equal(tsys, calibration.SystemTemperature(2, k), 1e-9 * tsys);
        Assert.Equal(tcal, calibration.CalibrationTemperature(2, k), 1e-9 * tcal);
        float scale = (float)(tcal / (raw.Hot[i] - raw.Sky[i]));
        Assert.Equal(scale, calibration.Scale[i], 1e-6f * scale);
        Assert.Equal(meanAirmass, calibration.MeanOnAirmass);
        Assert.Equal(pwv, calibration.PwvMm);
    }

    [Fact]
    public void Channels_with_signal_transmission_below_five_percent_are_atmosphere_cores_with_NaN_scale()
    {
        // LFA at 1 mm and airmass 3: t_s runs from about 0.02 (479 GHz) to 0.07 (483 GHz) across the band.
        const double pwv = 1.0;
        const double meanAirmass = 3.0;
        var sky = SyntheticCalibration.Sky(SyntheticCalibration.Lfa(Channels));
        var loads = HotColdSolution.Solve(SyntheticCalibration.Loads(sky, Pixels, pwv, 50.0), sky);
        var fit = AtmosphereFit.Fit(loads, sky);

        var calibration = CalibrationSolution.Create(loads, fit, sky, meanAirmass, pwv);

        int cores = 0;
        for (int k = 0; k < Channels; k++)
        {
            bool core = Math.Exp(-AtmosphereModel.Default.ZenithOpacity(sky.Axis.SignalFrequencyHz[k], pwv) * meanAirmass) < 0.05;
            cores += core ? 1 : 0;
            for (int p = 0; p < Pixels; p++)
            {
                int i = (p * Channels) + k;
                Assert.Equal(core ? ChannelFlags.AtmosphereCore : ChannelFlags.None, calibration.Flags[i]);
                Assert.Equal(core, float.IsNaN(calibration.Scale[i]));
            }
        }

        Assert.InRange(cores, 1, Channels - 1);
    }

    [Fact]
    public void Scale_is_NaN_where_the_calibration_flagged_a_channel_or_pixel()
    {
        var sky = SyntheticCalibration.Sky(SyntheticCalibration.Lfa(Channels));
        var raw = SyntheticCalibration.Loads(sky, Pixels, 0.5, 50.0);
        raw.Hot[5] = float.NaN;
        for (int k = 0; k < Channels; k++)
        {
            raw.Cold[(2 * Channels) + k] = raw.Hot[(2 * Channels) + k];
        }

        var loads = HotColdSolution.Solve(raw, sky);

        var calibration = CalibrationSolution.Create(loads, AtmosphereFit.Fit(loads, sky), sky, 1.4, 0.5);

        Assert.Equal(ChannelFlags.BadChannel, calibration.Flags[5]);
        Assert.True(float.IsNaN(calibration.Scale[5]));
        Assert.All(calibration.Scale.Skip(2 * Channels), scale => Assert.True(float.IsNaN(scale)));
        Assert.All(calibration.Flags.Skip(2 * Channels), flag => Assert.True((flag & ChannelFlags.BadPixel) != 0));
        Assert.Equal((Channels * 2) - 1, calibration.Scale.Count(float.IsFinite));
    }

    [Fact]
    public void Noiseless_calibration_recovers_the_system_temperature_to_one_part_per_million()
    {
        // calibration.md §3.4: T_sys recovered to better than 1e-6 relative with the fitted PWV.
        const double truePwv = 0.6;
        var sky = SyntheticCalibration.Sky(SyntheticCalibration.Hfa(1024));
        var loads = HotColdSolution.Solve(SyntheticCalibration.Loads(sky, Pixels, truePwv, 45.0), sky);
        var fit = AtmosphereFit.Fit(loads, sky);

        var fitted = CalibrationSolution.Create(loads, fit, sky, 1.5, fit.PwvMm);
        var truth = CalibrationSolution.Create(loads, fit, sky, 1.5, truePwv);

        for (int p = 0; p < Pixels; p++)
        {
            for (int k = 0; k < 1024; k++)
            {
                double expected = truth.SystemTemperature(p, k);
                Assert.Equal(expected, fitted.SystemTemperature(p, k), 1e-6 * expected);
            }
        }
    }

    [Fact]
    public void Stored_temperatures_are_the_float32_narrowing_of_the_float64_ones_and_NaN_where_that_is_infinite()
    {
        // The product's /tsys_k and /tcal_k come from these arrays: (float) of the float64 value, no ±∞ (formats.md).
        var sky = SyntheticCalibration.Sky(SyntheticCalibration.Lfa(Channels));
        var raw = SyntheticCalibration.Loads(sky, Pixels, 0.5, 50.0);
        raw.Sky[(1 * Channels) + 4] = 1e300; // T_sky_meas ≈ 1e300/G: finite in float64, far beyond float32
        var loads = HotColdSolution.Solve(raw, sky);

        var calibration = CalibrationSolution.Create(loads, AtmosphereFit.Fit(loads, sky), sky, 1.2, 0.5);

        for (int p = 0; p < Pixels; p++)
        {
            for (int k = 0; k < Channels; k++)
            {
                int i = (p * Channels) + k;
                double tsys = calibration.SystemTemperature(p, k);
                double tcal = calibration.CalibrationTemperature(p, k);
                Assert.Equal(float.IsFinite((float)tsys) ? (float)tsys : float.NaN, calibration.SystemTemperatureK[i]);
                Assert.Equal(float.IsFinite((float)tcal) ? (float)tcal : float.NaN, calibration.CalibrationTemperatureK[i]);
            }
        }

        Assert.True(double.IsFinite(calibration.SystemTemperature(1, 4)) && float.IsNaN(calibration.SystemTemperatureK[Channels + 4]));
    }
}

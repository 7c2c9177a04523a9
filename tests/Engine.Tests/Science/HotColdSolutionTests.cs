using Scanflow.Engine.Science;

namespace Scanflow.Engine.Tests.Science;

public class HotColdSolutionTests
{
    private const int Pixels = 4;
    private const int Channels = 64;

    [Theory]
    [InlineData(JMode.Planck, 1.0)]
    [InlineData(JMode.CallenWelton, 1.0)]
    [InlineData(JMode.Planck, 0.6)]
    public void Solve_recovers_the_injected_receiver_temperature_and_gain(JMode mode, double gainRatio)
    {
        var sky = SyntheticCalibration.Sky(SyntheticCalibration.Hfa(Channels), gainRatio, mode);
        var loads = SyntheticCalibration.Loads(sky, Pixels, 0.5, 45.0);
        var solution = HotColdSolution.Solve(loads, sky);

        for (int p = 0; p < Pixels; p++)
        {
            for (int k = 0; k < Channels; k++)
            {
                int i = (p * Channels) + k;
                AssertRelative(SyntheticCalibration.ReceiverTemperature(p, k, Channels), solution.ReceiverTemperatureK[i], 1e-9);

                // The solution keeps C_hot − C_sky and T_sky_meas, not G: §1.3 gives G = (C_hot − C_sky)/(J_hot − T_sky_meas).
                Assert.Equal(loads.Hot[i] - loads.Sky[i], solution.HotMinusSkyCounts[i]);
                double gain = solution.HotMinusSkyCounts[i] / (solution.HotRadiationK[k] - solution.SkyTemperatureK[i]);
                AssertRelative(SyntheticCalibration.Gain(p, k, Channels), gain, 1e-9);
                Assert.Equal(ChannelFlags.None, solution.Flags[i]);
            }
        }
    }

    [Fact]
    public void Load_radiation_is_the_sideband_weighted_Planck_temperature()
    {
        var sky = SyntheticCalibration.Sky(SyntheticCalibration.Hfa(Channels), gainRatio: 0.6);
        var solution = HotColdSolution.Solve(SyntheticCalibration.Loads(sky, 1, 0.5, 45.0), sky);

        double gs = 1.0 / 1.6;
        double expected = (gs * RadiationTemperature.J(sky.Axis.SignalFrequencyHz[7], 290.0, JMode.Planck))
            + ((1.0 - gs) * RadiationTemperature.J(sky.Axis.ImageFrequencyHz[7], 290.0, JMode.Planck));
        Assert.Equal(expected, solution.HotRadiationK[7], 12);
        Assert.True(solution.ColdRadiationK[7] < 80.0 - 15.0, "J_cold at 810 GHz is well below the RJ value");
    }

    [Fact]
    public void Measured_sky_temperature_agrees_in_both_forms_and_with_the_injected_sky()
    {
        var sky = SyntheticCalibration.Sky(SyntheticCalibration.Lfa(Channels));
        var loads = SyntheticCalibration.Loads(sky, Pixels, 1.0, 40.0);
        var solution = HotColdSolution.Solve(loads, sky);
        double airmass = SkyModel.Airmass(40.0);

        for (int p = 0; p < Pixels; p++)
        {
            for (int k = 0; k < Channels; k++)
            {
                int i = (p * Channels) + k;

                // calibration.md §1.3: J_hot − (C_hot − C_sky)/G = J_cold + (C_sky − C_cold)/G, G = (C_hot − C_cold)/(J_hot − J_cold).
                double gain = (loads.Hot[i] - loads.Cold[i]) / (solution.HotRadiationK[k] - solution.ColdRadiationK[k]);
                double coldForm = solution.ColdRadiationK[k] + ((loads.Sky[i] - loads.Cold[i]) / gain);
                AssertRelative(coldForm, solution.SkyTemperatureK[i], 1e-12);
                AssertRelative(sky.Brightness(k, 1.0, airmass), solution.SkyTemperatureK[i], 1e-9);
            }
        }
    }

    [Fact]
    public void Solve_flags_low_Y_negative_receiver_temperature_and_non_finite_channels()
    {
        var sky = SyntheticCalibration.Sky(SyntheticCalibration.Lfa(Channels));
        var loads = SyntheticCalibration.Loads(sky, Pixels, 0.5, 45.0);
        for (int p = 0; p < Pixels; p++)
        {
            // Y = 1.015 in every pixel: T_rx is huge but so is its median, so only the Y rule can flag it.
            loads.Cold[(p * Channels) + 3] = loads.Hot[(p * Channels) + 3] / 1.015;
        }

        loads.Cold[5] = loads.Hot[5] / 10.0;          // Y above J_hot/J_cold: T_rx < 0
        loads.Hot[7] = double.NaN;                    // non-finite counts
        loads.Sky[Channels + 9] = double.PositiveInfinity; // non-finite T_sky_meas only

        var solution = HotColdSolution.Solve(loads, sky);

        Assert.True(solution.ReceiverTemperatureK[5] < 0);
        for (int p = 0; p < Pixels; p++)
        {
            Assert.Equal(ChannelFlags.BadChannel, solution.Flags[(p * Channels) + 3]);
        }

        Assert.Equal(ChannelFlags.BadChannel, solution.Flags[5]);
        Assert.Equal(ChannelFlags.BadChannel, solution.Flags[7]);
        Assert.Equal(ChannelFlags.BadChannel, solution.Flags[Channels + 9]);
        Assert.Equal(ChannelFlags.None, solution.Flags[4]);
        Assert.Equal(Pixels + 3, solution.Flags.Count(flag => flag != ChannelFlags.None));
        Assert.DoesNotContain(true, solution.PixelIsBad);
    }

    [Fact]
    public void Solve_flags_a_receiver_temperature_above_five_times_the_channel_median()
    {
        var sky = SyntheticCalibration.Sky(SyntheticCalibration.Lfa(Channels));
        var loads = SyntheticCalibration.Loads(sky, Pixels, 0.5, 45.0);
        const int k = 11;
        int i = (2 * Channels) + k;
        double jHot = SyntheticCalibration.LoadRadiation(sky, k, SyntheticCalibration.HotK);
        double jCold = SyntheticCalibration.LoadRadiation(sky, k, SyntheticCalibration.ColdK);
        double trx = 2500.0; // the median of this channel over pixels is below 250 K
        loads.Hot[i] = 1000.0 * (trx + jHot);
        loads.Cold[i] = 1000.0 * (trx + jCold);

        var solution = HotColdSolution.Solve(loads, sky);

        Assert.Equal(trx, solution.ReceiverTemperatureK[i], 1e-6);
        Assert.Equal(ChannelFlags.BadChannel, solution.Flags[i]);
        Assert.Equal(1, solution.Flags.Count(flag => flag != ChannelFlags.None));
    }

    [Fact]
    public void A_pixel_with_more_than_half_its_channels_bad_is_flagged_bad_on_every_channel()
    {
        var sky = SyntheticCalibration.Sky(SyntheticCalibration.Lfa(Channels));
        var loads = SyntheticCalibration.Loads(sky, Pixels, 0.5, 45.0);
        for (int k = 0; k <= Channels / 2; k++)
        {
            loads.Cold[Channels + k] = loads.Hot[Channels + k]; // pixel 1: 33 of 64 with Y = 1
        }

        for (int k = 0; k < Channels / 2; k++)
        {
            loads.Cold[(2 * Channels) + k] = loads.Hot[(2 * Channels) + k]; // pixel 2: exactly half
        }

        var solution = HotColdSolution.Solve(loads, sky);

        Assert.Equal([false, true, false, false], solution.PixelIsBad);
        for (int k = 0; k < Channels; k++)
        {
            Assert.True((solution.Flags[Channels + k] & ChannelFlags.BadPixel) != 0);
            Assert.Equal(k <= Channels / 2, (solution.Flags[Channels + k] & ChannelFlags.BadChannel) != 0);
            Assert.True((solution.Flags[(2 * Channels) + k] & ChannelFlags.BadPixel) == 0);
        }
    }

    private static void AssertRelative(double expected, double actual, double tolerance) =>
        Assert.True(Math.Abs(actual - expected) <= tolerance * Math.Abs(expected), $"expected {expected:R}, got {actual:R} (relative {tolerance})");
}

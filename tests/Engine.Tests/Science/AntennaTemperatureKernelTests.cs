using System.Numerics.Tensors;
using Scanflow.Engine.Science;

namespace Scanflow.Engine.Tests.Science;

public class AntennaTemperatureKernelTests
{
    /// <summary>§7.1: C_ON − C_OFF cancels most of the counts' digits (here ON is within 0.1 % of OFF, as a few K on
    /// a T_sys of thousands), so the kernel forms it in double and adds no error beyond storing T_A* as float.</summary>
    [Theory]
    [InlineData(0.3, 0.7)]
    [InlineData(1.0, 0.0)]
    [InlineData(0.0, 1.0)]
    [InlineData(2.0 / 3.0, 1.0 / 3.0)]
    public void Compute_matches_a_float64_computation_from_the_same_float32_counts(double weightBefore, double weightAfter)
    {
        const int length = 4 * 1031; // not a multiple of any vector width
        var random = new Random(11);
        double[] offBefore = Random(random, length, 1e6, 1.5e6).Select(v => (double)v).ToArray();
        double[] offAfter = offBefore.Select(v => v * (1 + (1e-3 * random.NextDouble()))).ToArray();
        float[] on = offBefore.Select(v => (float)(v * (1 + (1e-3 * random.NextDouble())))).ToArray();
        float[] scale = Random(random, length, 1e-1, 1.0);
        var ta = new float[length];

        AntennaTemperatureKernel.Compute(on, offBefore, offAfter, weightBefore, weightAfter, scale, ta);

        for (int i = 0; i < length; i++)
        {
            double expected = scale[i] * (on[i] - ((weightBefore * offBefore[i]) + (weightAfter * offAfter[i])));
            Assert.True(Math.Abs(ta[i] - expected) <= 1e-6 * Math.Abs(expected), $"[{i}] {ta[i]} vs {expected}");
        }
    }

    /// <summary>§7.10: the interpolated scale scale₁·(1 + u·q)/(1 + u·r) follows T_cal(t)/D(t) written out in float64, in
    /// the vector body and the scalar tail, at both ends and between; u = 0 gives <see cref="AntennaTemperatureKernel.Compute"/>.</summary>
    [Theory]
    [InlineData(0.0)]
    [InlineData(0.37)]
    [InlineData(1.0)]
    public void ComputeInterpolated_matches_T_cal_over_D_interpolated_in_float64_13(double u)
    {
        const int length = 4 * 1031;
        var random = new Random(13);
        double[] offBefore = Random(random, length, 1e6, 1.5e6).Select(v => (double)v).ToArray();
        double[] offAfter = offBefore.Select(v => v * (1 + (1e-3 * random.NextDouble()))).ToArray();
        float[] on = offBefore.Select(v => (float)(v * (1 + (1e-3 * random.NextDouble())))).ToArray();
        double[] tcal1 = Random(random, length, 300, 3000).Select(v => (double)v).ToArray();
        double[] tcal2 = tcal1.Select(v => v * (1 + (0.02 * (random.NextDouble() - 0.5)))).ToArray();
        double[] d1 = Random(random, length, 1e5, 1e6).Select(v => (double)v).ToArray();
        double[] d2 = d1.Select(v => v * (1 + (0.06 * (random.NextDouble() - 0.5)))).ToArray();
        float[] scale = tcal1.Zip(d1, (t, d) => (float)(t / d)).ToArray();
        float[] q = tcal1.Zip(tcal2, (a, b) => (float)((b / a) - 1)).ToArray();
        float[] r = d1.Zip(d2, (a, b) => (float)((b / a) - 1)).ToArray();
        var ta = new float[length];

        AntennaTemperatureKernel.ComputeInterpolated(on, offBefore, offAfter, 0.4, 0.6, scale, q, r, u, ta);

        for (int i = 0; i < length; i++)
        {
            double tcal = ((1 - u) * tcal1[i]) + (u * tcal2[i]);
            double d = ((1 - u) * d1[i]) + (u * d2[i]);
            double expected = tcal * (on[i] - ((0.4 * offBefore[i]) + (0.6 * offAfter[i]))) / d;
            Assert.True(Math.Abs(ta[i] - expected) <= 1e-6 * Math.Abs(expected), $"[{i}] {ta[i]} vs {expected}");
        }

        if (u == 0)
        {
            var single = new float[length];
            AntennaTemperatureKernel.Compute(on, offBefore, offAfter, 0.4, 0.6, scale, single);
            Assert.Equal(single, ta);
        }
    }

    [Fact]
    public void Compute_may_write_T_A_star_over_the_counts()
    {
        float[] counts = Random(new Random(5), 1031, 2e6, 3e6);
        double[] off = Random(new Random(6), 1031, 1e6, 1.5e6).Select(v => (double)v).ToArray();
        float[] scale = Random(new Random(7), 1031, 1e-5, 1e-3);
        var separate = new float[1031];
        AntennaTemperatureKernel.Compute(counts, off, off, 0.5, 0.5, scale, separate);

        AntennaTemperatureKernel.Compute(counts, off, off, 0.5, 0.5, scale, counts);

        Assert.Equal(separate, counts);
    }

    [Theory]
    [InlineData(0f, false)]
    [InlineData(float.NaN, false)]
    [InlineData(float.PositiveInfinity, false)]
    [InlineData(float.NegativeInfinity, false)]
    [InlineData(-2.5e6f, true)]
    [InlineData(1e-30f, true)]
    public void MaxCountMagnitude_tells_all_zero_and_non_finite_counts_from_usable_ones_10(float odd, bool valid)
    {
        // A row of zeros with `odd` placed past the first vector width.
        var counts = new float[37];
        counts[34] = odd;

        var magnitude = AntennaTemperatureKernel.MaxCountMagnitude(counts);

        Assert.Equal(valid, AntennaTemperatureKernel.AreValidCounts(magnitude));
        Assert.Equal(valid ? Math.Abs(odd) : magnitude, magnitude);
    }

    [Fact]
    public void MaxCountMagnitude_finds_one_NaN_or_infinity_among_ordinary_counts_10()
    {
        float[] counts = Random(new Random(3), 3 * 1031, 1e6, 2e6);
        counts[17] = float.NaN;
        counts[1030] = float.NegativeInfinity;
        counts[2000] = -0f;

        (int Start, int Length)[] rows = [(0, 1031), (1031, 1031), (1000, 40), (2062, 1031)];

        Assert.Equal(
            [false, true, false, true],
            rows.Select(r => AntennaTemperatureKernel.AreValidCounts(AntennaTemperatureKernel.MaxCountMagnitude(counts.AsSpan(r.Start, r.Length)))));
    }

    [Fact]
    public void MaxCountMagnitude_of_negative_zeros_is_zero_so_the_counts_are_invalid_10()
    {
        Assert.False(AntennaTemperatureKernel.AreValidCounts(AntennaTemperatureKernel.MaxCountMagnitude([-0f, 0f, -0f])));
    }

    [Fact]
    public void Compute_propagates_NaN_scale_so_flagged_channels_come_out_NaN()
    {
        float[] ta = new float[3];
        AntennaTemperatureKernel.Compute([3f, 3f, 3f], [1.0, 1.0, 1.0], [1.0, 1.0, 1.0], 0.5, 0.5, [1f, float.NaN, 2f], ta);
        Assert.Equal([2f, float.NaN, 4f], ta);
    }

    [Theory]
    [InlineData(1.009)]
    [InlineData(0.991)]
    [InlineData(1.0)]
    public void Airmass_within_one_percent_of_the_mean_leaves_T_A_star_unchanged(double ratio)
    {
        float[] ta = [1f, 2f, 3f, 4f];
        ApplyAirmassCorrection(ta, 2, [0.5, 1.0], 1.5, 1.5 * ratio);
        Assert.Equal([1f, 2f, 3f, 4f], ta);
    }

    [Theory]
    [InlineData(1.011)]
    [InlineData(0.989)]
    [InlineData(1.3)]
    public void Airmass_beyond_one_percent_multiplies_each_channel_by_the_opacity_factor(double ratio)
    {
        const double meanAirmass = 1.5;
        double dumpAirmass = meanAirmass * ratio;
        double[] tau = [0.5, 1.0];
        float[] ta = [1f, 2f, 3f, 4f];

        ApplyAirmassCorrection(ta, 2, tau, meanAirmass, dumpAirmass);

        for (int p = 0; p < 2; p++)
        {
            for (int k = 0; k < 2; k++)
            {
                double expected = ((p * 2) + k + 1) * Math.Exp(-tau[k] * (meanAirmass - dumpAirmass));
                Assert.Equal(expected, ta[(p * 2) + k], 1e-6 * expected);
            }
        }
    }

    [Fact]
    public void Primary_and_equivalent_forms_agree_on_zero_offset_synthetic_data()
    {
        // calibration.md §1.6: T_cal·(C_ON − C_OFF)/(C_hot − C_sky) = T_sys·(C_ON − C_OFF)/C_OFF within 1e-6 relative.
        var (sky, loads, calibration, channels) = Calibrate(gainRatio: 0.8);
        double airmass = SkyModel.Airmass(loads.ElevationDeg);
        for (int p = 0; p < loads.Pixels; p++)
        {
            for (int k = 0; k < channels; k++)
            {
                int i = (p * channels) + k;
                double gain = Gain(loads, p, k);
                double off = gain * (SyntheticCalibration.ReceiverTemperature(p, k, channels) + sky.Brightness(k, 0.5, airmass));
                double on = off + (gain * sky.Weights.Signal * 0.95 * calibration.TransmissionSignal[k] * Source(k));
                double primary = calibration.CalibrationTemperature(p, k) * (on - off) / loads.HotMinusSkyCounts[i];
                double equivalent = calibration.SystemTemperature(p, k) * (on - off) / off;
                Assert.Equal(primary, equivalent, 1e-6 * Math.Abs(primary));
                Assert.Equal(Source(k), primary, 1e-9 * Source(k));
            }
        }
    }

    [Fact]
    public void Float_kernel_on_float_counts_recovers_an_injected_source_to_a_millikelvin_at_another_airmass()
    {
        // An ON dump 6 % above the mean ON airmass: the kernel plus the §7.3 factor gives back T_src.
        var (sky, loads, calibration, channels) = Calibrate(gainRatio: 1.0);
        int size = loads.Pixels * channels;
        double dumpAirmass = calibration.MeanOnAirmass * 1.06;
        var on = new float[size];
        var off = new double[size];
        for (int p = 0; p < loads.Pixels; p++)
        {
            for (int k = 0; k < channels; k++)
            {
                int i = (p * channels) + k;
                double t = Math.Exp(-calibration.TauSignal[k] * dumpAirmass);
                double gain = Gain(loads, p, k);
                double offCounts = gain * (SyntheticCalibration.ReceiverTemperature(p, k, channels) + sky.Brightness(k, 0.5, dumpAirmass));
                off[i] = (float)offCounts; // what a raw file holds
                on[i] = (float)(offCounts + (gain * sky.Weights.Signal * 0.95 * t * Source(k)));
            }
        }

        var ta = new float[size];
        AntennaTemperatureKernel.Compute(on, off, off, 0.25, 0.75, calibration.Scale, ta);
        ApplyAirmassCorrection(ta, loads.Pixels, calibration.TauSignal, calibration.MeanOnAirmass, dumpAirmass);

        for (int i = 0; i < size; i++)
        {
            double truth = Source(i % channels);
            Assert.True(Math.Abs(ta[i] - truth) <= Math.Max(1e-3, 1e-5 * truth), $"[{i}] {ta[i]} vs {truth}");
        }
    }

    private static (SkyModel Sky, HotColdSolution Loads, CalibrationSolution Calibration, int Channels) Calibrate(double gainRatio)
    {
        const int channels = 256;
        var sky = SyntheticCalibration.Sky(SyntheticCalibration.Lfa(channels), gainRatio);
        var loads = HotColdSolution.Solve(SyntheticCalibration.Loads(sky, 4, 0.5, 50.0), sky);
        var fit = AtmosphereFit.Fit(loads, sky);
        var calibration = CalibrationSolution.Create(loads, fit, sky, SkyModel.Airmass(50.0), fit.PwvMm);
        return (sky, loads, calibration, channels);
    }

    // The solved gain, G = (C_hot − C_sky)/(J_hot − T_sky_meas) (§1.3); the solution keeps no G of its own.
    private static double Gain(HotColdSolution loads, int p, int k)
    {
        int i = (p * loads.Channels) + k;
        return loads.HotMinusSkyCounts[i] / (loads.HotRadiationK[k] - loads.SkyTemperatureK[i]);
    }

    // A 1–10 K Gaussian line on a 0.3 K continuum (§3.1).
    private static double Source(int k) => 0.3 + (8.0 * Math.Exp(-0.5 * Math.Pow((k - 100) / 6.0, 2)));

    private static float[] Random(Random random, int length, double low, double high) =>
        Enumerable.Range(0, length).Select(_ => (float)(low + ((high - low) * random.NextDouble()))).ToArray();

    /// <summary>§7.3 as the engine applies it (ScienceScanContext): the dump's factors, then each pixel row times them.</summary>
    private static void ApplyAirmassCorrection(float[] taStar, int pixels, double[] tauSignal, double meanAirmass, double dumpAirmass)
    {
        int channels = tauSignal.Length;
        var factor = new float[channels];
        if (!AntennaTemperatureKernel.AirmassFactors(tauSignal, meanAirmass, dumpAirmass, factor))
        {
            return;
        }

        for (int p = 0; p < pixels; p++)
        {
            var row = taStar.AsSpan(p * channels, channels);
            TensorPrimitives.Multiply(row, factor, row);
        }
    }
}

using System.Text.RegularExpressions;
using Scanflow.Engine.Formats;
using Scanflow.Engine.Model;
using Scanflow.Engine.Simulation;
using Xunit.Abstractions;

namespace Scanflow.Engine.Tests.Simulation;

/// <summary>Issue 14: the simulator's faulty pixels that the radiometer ratio must flag — a pixel with F times the
/// radiometer noise in its science dumps, and a pixel with a one-channel spur of random sign in its ON dumps.</summary>
public class PixelFaultSimulationTests(ITestOutputHelper output)
{
    private const int Seed = 14;

    [Fact]
    public void Noisy_pixel_has_factor_times_the_on_minus_off_count_noise_and_the_other_pixels_keep_their_counts_14()
    {
        using var directory = new TempDirectory();
        const int noisy = 2;
        const double factor = 3;
        var plain = ScanSimulator.Run(Paired(directory.Combine("plain")));
        var truth = ScanSimulator.Run(Paired(directory.Combine("noisy")) with { NoisyPixel = noisy, NoiseFactor = factor });

        Assert.All(truth.Science, s => Assert.Equal((noisy, factor), (s.NoisyPixel!.Value, s.NoiseFactor)));
        Assert.All(plain.Science, s => Assert.Equal<(int?, double)>((null, 1.0), (s.NoisyPixel, s.NoiseFactor)));
        AssertSameCalibration(directory.Combine("plain", plain.Calibrations[0].File), directory.Combine("noisy", truth.Calibrations[0].File));

        var ratios = new double[4];
        var channelRatios = new double[4];
        var samples = 0;
        for (var s = 0; s < truth.Science.Count; s++)
        {
            var with = ScanCounts.Read(directory.Combine("noisy", truth.Science[s].File));
            var without = ScanCounts.Read(directory.Combine("plain", plain.Science[s].File));
            for (var p = 0; p < with.Pixels; p++)
            {
                if (p != noisy)
                {
                    Assert.Equal(without.PixelOn(p), with.PixelOn(p));
                    Assert.Equal(without.PixelOff(p), with.PixelOff(p));
                }

                var (sum, n) = with.OnMinusOffVariance(p);
                ratios[p] += sum;
                samples = n;
                channelRatios[p] += with.ChannelDifferenceRatio(p) / truth.Science.Count;
            }
        }

        // ON − OFF pairs are independent, so the normalised variance is 1 (or F²) with ~2·N_ch·(N_on − 1) degrees of freedom.
        for (var p = 0; p < ratios.Length; p++)
        {
            ratios[p] = Math.Sqrt(ratios[p] / (samples * truth.Science.Count));
        }

        output.WriteLine($"ON - OFF noise / expected per pixel: {string.Join(", ", ratios.Select(r => r.ToString("F4")))}");
        output.WriteLine($"channel-difference ratio per pixel: {string.Join(", ", channelRatios.Select(r => r.ToString("F4")))}");
        var others = Enumerable.Range(0, 4).Where(p => p != noisy).Select(p => ratios[p]).ToArray();
        Assert.All(others, r => Assert.InRange(r, 0.98, 1.02));
        Assert.InRange(ratios[noisy] / others.Average(), factor * 0.98, factor * 1.02);
        Assert.InRange(channelRatios[noisy] / channelRatios.Where((_, p) => p != noisy).Average(), factor * 0.95, factor * 1.05);
    }

    [Fact]
    public void Spur_adds_the_documented_amplitude_of_random_sign_to_one_channel_of_the_on_dumps_only_14()
    {
        using var directory = new TempDirectory();
        const int pixel = 1;
        var options = Paired(directory.Combine("plain")) with { Noise = false, Channels = 64 };
        var plain = ScanSimulator.Run(options);
        var truth = ScanSimulator.Run(options with { OutputDirectory = directory.Combine("spur"), SpurPixel = pixel, SpurAmplitudeSigma = 25 });

        AssertSameCalibration(directory.Combine("plain", plain.Calibrations[0].File), directory.Combine("spur", truth.Calibrations[0].File));
        Assert.All(plain.Science, s => Assert.Null(s.SpurPixel));
        var bandwidth = 0.96 * 4e9 / options.Channels;
        var root = Math.Sqrt((1 / (bandwidth * options.OnIntegration)) + (1 / (bandwidth * options.OffIntegration)));
        for (var s = 0; s < truth.Science.Count; s++)
        {
            var science = truth.Science[s];
            Assert.Equal(pixel, science.SpurPixel);
            Assert.Equal(9, science.SpurChannel);  // ⌊0.15·64⌋, no dead channel there
            var amplitudes = science.SpurAmplitudesSigma!;
            Assert.Equal(options.OnDumps, amplitudes.Length);
            Assert.All(amplitudes, a => Assert.Equal(25, Math.Abs(a)));
            Assert.InRange(amplitudes.Count(a => a > 0), 10, 30);  // a fair coin over 40 dumps
            Assert.InRange(science.SpurSigmaK!.Value, 0.1, 10);

            var with = ScanCounts.Read(directory.Combine("spur", science.File));
            var without = ScanCounts.Read(directory.Combine("plain", plain.Science[s].File));
            Assert.Equal(without.Off, with.Off);
            var spur = (pixel * options.Channels) + science.SpurChannel!.Value;
            var offCount = (double)without.Off[spur];
            for (var d = 0; d < options.OnDumps; d++)
            {
                for (var i = 0; i < with.DumpLength; i++)
                {
                    var at = (d * with.DumpLength) + i;
                    if (i != spur)
                    {
                        Assert.Equal(without.On[at], with.On[at]);
                        continue;
                    }

                    var expected = amplitudes[d] * offCount * root;
                    Assert.Equal(expected, with.On[at] - (double)without.On[at], Math.Abs(expected) * 1e-4);
                }
            }
        }
    }

    [Fact]
    public void Spur_at_the_default_amplitude_lifts_the_channel_difference_ratio_of_a_1024_channel_pixel_well_above_1_3_14()
    {
        using var directory = new TempDirectory();
        const int pixel = 3;
        var truth = ScanSimulator.Run(Paired(directory.Path) with { Channels = 1024, Scans = 1, SpurPixel = pixel });

        var counts = ScanCounts.Read(directory.Combine(truth.Science[0].File));
        var ratios = Enumerable.Range(0, counts.Pixels).Select(counts.ChannelDifferenceRatio).ToArray();

        output.WriteLine($"channel-difference ratio per pixel: {string.Join(", ", ratios.Select(r => r.ToString("F4")))}");

        // With |a| = 40 in every dump the ratio is about √(1 + 40²/1023) = 1.60; lines keep the others near 1.
        Assert.InRange(ratios[pixel], 1.5, 1.7);
        Assert.All(ratios.Where((_, p) => p != pixel), r => Assert.InRange(r, 0.95, 1.1));
    }

    [Fact]
    public void A_truth_file_without_the_fault_keys_reads_as_a_scan_without_faults_14()
    {
        using var directory = new TempDirectory();
        ScanSimulator.Run(Paired(directory.Path) with { Scans = 1, Channels = 32, NoisyPixel = 0, SpurPixel = 1 });
        var path = directory.Combine(SimulationTruth.FileName);
        var json = File.ReadAllText(path);
        var written = SimulationTruth.Load(directory.Path).Science[0];
        Assert.Equal<(int?, double, int?, int?)>((0, 2.0, 1, 4), (written.NoisyPixel, written.NoiseFactor, written.SpurPixel, written.SpurChannel));
        var older = Regex.Replace(json, @",\s*""(noisy_pixel|noise_factor|spur_[a-z_]+)"": (\[[^\]]*\]|[^,\n]+)", string.Empty);
        Assert.DoesNotContain("spur", older, StringComparison.Ordinal);
        Assert.DoesNotContain("noisy", older, StringComparison.Ordinal);
        File.WriteAllText(path, older);

        var science = SimulationTruth.Load(directory.Path).Science[0];

        Assert.Equal<(int?, double, int?, int?, double[]?, double?)>(
            (null, 1.0, null, null, null, null),
            (science.NoisyPixel, science.NoiseFactor, science.SpurPixel, science.SpurChannel, science.SpurAmplitudesSigma, science.SpurSigmaK));
        Assert.Equal(written.Source.Lines, science.Source.Lines);
    }

    [Theory]
    [InlineData(-1, 2.0, null, 40.0, true, "--noisy-pixel must be a pixel index between 0 and 7 (got -1)")]
    [InlineData(8, 2.0, null, 40.0, true, "--noisy-pixel must be a pixel index between 0 and 7 (got 8)")]
    [InlineData(0, 0.5, null, 40.0, true, "--noise-factor must be between 1 and 100 (got 0.5)")]
    [InlineData(0, double.NaN, null, 40.0, true, "--noise-factor must be between 1 and 100 (got NaN)")]
    [InlineData(0, 2.0, null, 40.0, false, "--noisy-pixel scales the radiometer noise, so it cannot be combined with --no-noise")]
    [InlineData(null, 2.0, 8, 40.0, true, "--spur-pixel must be a pixel index between 0 and 7 (got 8)")]
    [InlineData(null, 2.0, 0, 0.5, true, "--spur-amplitude must be between 1 and 1000 (in units of sigma_pred) (got 0.5)")]
    public void Validate_names_a_bad_fault_option_14(int? noisyPixel, double factor, int? spurPixel, double amplitude, bool noise, string expected)
    {
        var options = new SimulationOptions
        {
            OutputDirectory = ".",
            NoisyPixel = noisyPixel,
            NoiseFactor = factor,
            SpurPixel = spurPixel,
            SpurAmplitudeSigma = amplitude,
            Noise = noise,
        };

        Assert.Equal(expected, options.Validate());
    }

    [Fact]
    public void Validate_accepts_a_spur_without_noise_and_the_defaults_14()
    {
        Assert.Null(new SimulationOptions { OutputDirectory = "." }.Validate());
        Assert.Null(new SimulationOptions { OutputDirectory = ".", SpurPixel = 7, Noise = false }.Validate());
        Assert.Null(new SimulationOptions { OutputDirectory = ".", NoisyPixel = 0, NoiseFactor = 1 }.Validate());
    }

    /// <summary>TP with one OFF dump before each ON dump (n_off = n_on + 1), so every ON pairs with its own OFF.</summary>
    private static SimulationOptions Paired(string directory) => new()
    {
        OutputDirectory = directory,
        Scans = 2,
        Pixels = 4,
        Channels = 512,
        OnDumps = 40,
        OffDumps = 41,
        OnIntegrationSeconds = 1,
        OffIntegrationSeconds = 1,
        Seed = Seed,
    };

    private static void AssertSameCalibration(string expected, string actual)
    {
        var a = CalibrationScanReader.Read(expected);
        var b = CalibrationScanReader.Read(actual);
        Assert.Equal(a.Hot, b.Hot);
        Assert.Equal(a.Cold, b.Cold);
        Assert.Equal(a.Sky, b.Sky);
    }

    /// <summary>All counts of a paired TP scan, [dump][pixel][channel].</summary>
    private sealed class ScanCounts
    {
        private ScanCounts(float[] on, float[] off, int pixels, int channels, double bandwidthHz, double onSeconds, double offSeconds)
        {
            On = on;
            Off = off;
            Pixels = pixels;
            Channels = channels;
            Root = Math.Sqrt((1 / (bandwidthHz * onSeconds)) + (1 / (bandwidthHz * offSeconds)));
        }

        public float[] On { get; }

        public float[] Off { get; }

        public int Pixels { get; }

        public int Channels { get; }

        public int DumpLength => Pixels * Channels;

        /// <summary>Relative radiometer noise of one ON − OFF pair, √(1/(B·τ_ON) + 1/(B·τ_OFF)).</summary>
        private double Root { get; }

        private int OnDumps => On.Length / DumpLength;

        public static ScanCounts Read(string path)
        {
            using var reader = ScienceScanReader.Open(path);
            var on = new float[reader.OnMjd.Length * reader.DumpLength];
            var off = new float[reader.OffMjd.Length * reader.DumpLength];
            reader.ReadOnDumps(0, reader.OnMjd.Length, on);
            reader.ReadOffDumps(0, reader.OffMjd.Length, off);
            Assert.Equal(reader.OnMjd.Length + 1, reader.OffMjd.Length);
            Assert.All(reader.OnMjd.Select((t, d) => (t, d)), x => Assert.InRange(x.t, reader.OffMjd[x.d], reader.OffMjd[x.d + 1]));
            var header = reader.Header;
            return new ScanCounts(on, off, header.Pixels, header.Channels, 0.96 * 4e9 / header.Channels, reader.OnIntegrationSeconds, reader.OffIntegrationSeconds);
        }

        public float[] PixelOn(int pixel) => Select(On, pixel);

        public float[] PixelOff(int pixel) => Select(Off, pixel);

        /// <summary>Per channel, x_d = (C_ON,d − C_OFF,d)/(C̄_OFF·√(1/(Bτ_ON) + 1/(Bτ_OFF))) with the OFF just before ON
        /// dump d; returns Σ over channels of the sample variance of x over dumps (the line, constant in time, drops
        /// out with the mean), and the number of live channels.</summary>
        public (double Sum, int Channels) OnMinusOffVariance(int pixel)
        {
            var sum = 0.0;
            var live = 0;
            var x = new double[OnDumps];
            for (var k = 0; k < Channels; k++)
            {
                var i = (pixel * Channels) + k;
                var offMean = Enumerable.Range(0, OnDumps + 1).Average(d => (double)Off[(d * DumpLength) + i]);
                if (offMean == 0)
                {
                    continue;  // a dead channel
                }

                for (var d = 0; d < OnDumps; d++)
                {
                    x[d] = (On[(d * DumpLength) + i] - (double)Off[(d * DumpLength) + i]) / (offMean * Root);
                }

                var mean = x.Average();
                sum += x.Sum(v => (v - mean) * (v - mean)) / (OnDumps - 1);
                live++;
            }

            return (sum, live);
        }

        /// <summary>The issue's radiometer ratio on counts: per ON dump y_k = (C_ON − C_OFF)/C_OFF (T_A*/T_sys), the RMS of
        /// adjacent-channel differences over √2, median over dumps, divided by √(1/(Bτ_ON) + 1/(Bτ_OFF)).</summary>
        public double ChannelDifferenceRatio(int pixel)
        {
            var perDump = new double[OnDumps];
            var y = new double[Channels];
            for (var d = 0; d < OnDumps; d++)
            {
                for (var k = 0; k < Channels; k++)
                {
                    var i = (pixel * Channels) + k;
                    double off = Off[(d * DumpLength) + i];
                    y[k] = off == 0 ? double.NaN : (On[(d * DumpLength) + i] - off) / off;
                }

                var differences = y.Zip(y.Skip(1), (a, b) => b - a).Where(double.IsFinite).ToArray();
                perDump[d] = Math.Sqrt(differences.Average(v => v * v) / 2) / Root;
            }

            Array.Sort(perDump);
            return perDump[perDump.Length / 2];
        }

        private float[] Select(float[] counts, int pixel)
        {
            var dumps = counts.Length / DumpLength;
            var result = new float[dumps * Channels];
            for (var d = 0; d < dumps; d++)
            {
                counts.AsSpan((d * DumpLength) + (pixel * Channels), Channels).CopyTo(result.AsSpan(d * Channels));
            }

            return result;
        }
    }
}

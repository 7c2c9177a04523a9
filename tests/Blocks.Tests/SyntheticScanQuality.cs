using Scanflow.Engine.Model;
using Scanflow.Engine.Quality;

namespace Scanflow.Blocks.Tests;

/// <summary>A <see cref="ScanQuality"/> shaped like one of a CHAI LFA scan (479–483 GHz, USB), with the blemishes the
/// plots must show honestly: flagged band edges and a flagged run of channels (NaN), a dead pixel (all NaN), a noisy
/// pixel, flagged dumps (NaN rows of the waterfall) and a PWV bin without good channels. Also linked into
/// Scanflow.Perf, which times the plots on it and draws the examples in docs/images.</summary>
internal static class SyntheticScanQuality
{
    /// <summary>Channels [FlaggedRunStart, FlaggedRunEnd) of every pixel are flagged, as a spur's neighbourhood would be.</summary>
    public static int FlaggedRunStart(int channels) => channels * 3 / 10;

    public static int FlaggedRunEnd(int channels) => channels * 4 / 10;

    public const double SuspectRatio = 1.3;

    /// <summary>The sky frequency of channel <paramref name="k"/>, GHz.</summary>
    public static double FrequencyGHz(int k, int channels) => 475 + 4 + ((k + 0.5) * 4.0 / channels);

    public static ScanQuality Create(int pixels, int channels, int dumps, int waterfallColumns, int seed = 14)
    {
        var random = new Random(seed);
        var frequency = new double[channels];
        for (var k = 0; k < channels; k++)
        {
            frequency[k] = FrequencyGHz(k, channels);
        }

        var dead = pixels > 2 ? pixels / 2 : -1;
        var noisy = pixels > 1 ? 1 : -1;
        var edge = Math.Max(1, channels / 64);
        bool Flagged(int k) => k < edge || k >= channels - edge || (k >= FlaggedRunStart(channels) && k < FlaggedRunEnd(channels));

        var systemTemperature = new float[pixels * channels];
        var meanTaStar = new float[pixels * channels];
        var pixelQualities = new List<PixelQuality>();
        for (var p = 0; p < pixels; p++)
        {
            var offset = 650 + (40 * Gaussian(random));
            var lineAmplitude = 4 + (0.5 * Gaussian(random));
            var noise = p == noisy ? 0.25 : 0.08;
            for (var k = 0; k < channels; k++)
            {
                var i = (p * channels) + k;
                if (p == dead || Flagged(k))
                {
                    systemTemperature[i] = float.NaN;
                    meanTaStar[i] = float.NaN;
                    continue;
                }

                var f = frequency[k];
                // A slope across the IF, a standing wave of 0.3 GHz period, and the radiometer noise of a single channel.
                systemTemperature[i] = (float)(offset + (25 * (f - 481)) + (12 * Math.Sin(2 * Math.PI * f / 0.3)) + (3 * Gaussian(random)));
                meanTaStar[i] = (float)(Line(f, 481.4, lineAmplitude) + (0.2 * (f - 481)) + (noise * Gaussian(random)));
            }

            var ratio = p == dead ? double.NaN : p == noisy ? 1.8 : 1 + (0.04 * Gaussian(random));
            pixelQualities.Add(new PixelQuality(
                p, p == dead ? double.NaN : offset, p == dead ? double.NaN : offset - 180, p == dead ? 1 : 0.12, ratio, ratio > SuspectRatio));
        }

        var waterfallFrequency = new double[waterfallColumns];
        var waterfall = new float[dumps * waterfallColumns];
        for (var c = 0; c < waterfallColumns; c++)
        {
            waterfallFrequency[c] = 479 + ((c + 0.5) * 4.0 / waterfallColumns);
        }

        for (var d = 0; d < dumps; d++)
        {
            var flaggedDump = d == dumps / 3 || d == (dumps / 3) + 1;
            for (var c = 0; c < waterfallColumns; c++)
            {
                var k = (int)((c + 0.5) * channels / waterfallColumns);
                var f = waterfallFrequency[c];
                waterfall[(d * waterfallColumns) + c] = flaggedDump || Flagged(k)
                    ? float.NaN
                    // The line, a baseline drifting over the scan, and noise averaged over the pixels and the bin.
                    : (float)(Line(f, 481.4, 4) + (0.4 * Math.Sin(2 * Math.PI * d / Math.Max(dumps, 1))) + (0.3 * Gaussian(random)));
            }
        }

        const int FitBins = 128;
        var fitFrequency = new double[FitBins];
        var measured = new double[FitBins];
        var model = new double[FitBins];
        for (var b = 0; b < FitBins; b++)
        {
            var f = 479 + ((b + 0.5) * 4.0 / FitBins);
            fitFrequency[b] = f;
            // The wing of the 488.5 GHz water line makes the sky warmer towards the top of the band.
            model[b] = 95 + (30 * Math.Exp((f - 483) / 1.5));
            var k = (int)((b + 0.5) * channels / FitBins);
            measured[b] = Flagged(k) ? double.NaN : model[b] + (1.5 * Gaussian(random));
        }

        var lineFrequency = BinnedLine.OfPixels(frequency, systemTemperature, pixels, ScanQuality.MaxLinePoints).X;
        return new ScanQuality
        {
            ScanId = 1234,
            Band = Band.Lfa,
            Mode = ObsMode.OnTheFly,
            Source = "Orion-KL",
            CalibrationScanIds = [1233],
            PwvMm = 0.62,
            PwvErrorMm = 0.03,
            AtmosphereFitRmsK = 1.48,
            AtmosphereFitStatus = "ok",
            MeanAirmass = 1.31,
            MinAirmass = 1.29,
            MaxAirmass = 1.33,
            Dumps = dumps,
            DumpsFlaggedByBit = [0, 0, 2],
            ChannelFractionFlaggedByBit = [0.12, 0, 0],
            ChannelFractionFlagged = 0.12,
            SuspectRadiometerRatio = SuspectRatio,
            Pixels = pixelQualities,
            LineFrequencyGHz = lineFrequency,
            SystemTemperatureLines = BinnedLine.OfPixels(frequency, systemTemperature, pixels, ScanQuality.MaxLinePoints).Y,
            MeanTaStarLines = BinnedLine.OfPixels(frequency, meanTaStar, pixels, ScanQuality.MaxLinePoints).Y,
            Waterfall = waterfall,
            WaterfallColumns = waterfallColumns,
            WaterfallFrequencyGHz = waterfallFrequency,
            FitFrequencyGHz = fitFrequency,
            FitMeasuredSkyK = measured,
            FitModelSkyK = model,
        };
    }

    private static double Line(double frequency, double centre, double amplitude) =>
        amplitude * Math.Exp(-0.5 * Math.Pow((frequency - centre) / 0.05, 2));

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}

using Scanflow.Engine.Processing;
using Scanflow.Engine.Science;

namespace Scanflow.Engine.Quality;

/// <summary>Turns a calibrated scan's context and its gathered QA into <see cref="ScanQuality"/>: the metrics of
/// <c>qa.json</c> and the data of its plots. Call once every block is calibrated.</summary>
internal static class ScanQualityBuilder
{
    /// <summary>Bins of the PWV-fit plot, as the fit's own (calibration.md §7.5).</summary>
    private const int MaxFitBins = 256;

    public static ScanQuality Build(ScienceScanContext context, double suspectRadiometerRatio)
    {
        var reader = context.Reader;
        var header = reader.Header;
        int pixels = header.Pixels, channels = header.Channels;
        var accumulator = context.QualityData;
        var flags = context.ChannelFlags;
        var frequencyGHz = context.Calibration.Sky.Axis.SignalFrequencyHz.Select(f => f / 1e9).ToArray();
        var airmass = reader.OnElevationDeg.Select(SkyModel.Airmass).ToArray();

        var systemTemperature = new float[pixels * channels];
        for (var i = 0; i < systemTemperature.Length; i++)
        {
            systemTemperature[i] = flags[i] == 0 ? context.Solution.SystemTemperatureK[i] : float.NaN;
        }

        var pixelQuality = new PixelQuality[pixels];
        var ratios = new double[reader.OnMjd.Length];
        var values = new double[channels];

        // Median over the pixel's unflagged channels of a [p·K + k] array.
        double GoodChannelMedian(int pixel, Func<int, double> value)
        {
            var good = 0;
            for (var i = pixel * channels; i < (pixel + 1) * channels; i++)
            {
                if (flags[i] == 0)
                {
                    values[good++] = value(i);
                }
            }

            return Median.OfInPlace(values.AsSpan(0, good));
        }

        for (var p = 0; p < pixels; p++)
        {
            var row = new Range(p * channels, (p + 1) * channels);
            var medianTsys = GoodChannelMedian(p, k => systemTemperature[k]);
            var medianTrx = GoodChannelMedian(p, k => context.Calibration.Loads.ReceiverTemperatureK[k]);
            var dumps = 0;
            for (var d = 0; d < ratios.Length; d++)
            {
                var ratio = accumulator.RadiometerRatios[(d * pixels) + p];
                if (float.IsFinite(ratio))
                {
                    ratios[dumps++] = ratio;
                }
            }

            var radiometer = Median.OfInPlace(ratios.AsSpan(0, dumps));
            pixelQuality[p] = new PixelQuality(
                reader.PixelIds[p], medianTsys, medianTrx, 1.0 - ((double)flags.AsSpan(row).Count((byte)0) / channels), radiometer,
                radiometer > suspectRadiometerRatio);
        }

        var (fitFrequency, measured, model) = FitPlot(context, frequencyGHz);
        var (lineFrequency, systemTemperatureLines) = BinnedLine.OfPixels(frequencyGHz, systemTemperature, pixels, ScanQuality.MaxLinePoints);
        var fit = context.Calibration.Fit;
        return new ScanQuality
        {
            ScanId = header.ScanId,
            Band = header.Band,
            Mode = header.ObsMode!.Value,
            Source = header.Source,
            CalibrationScanIds = context.LaterCalibration is { } later ? [context.Calibration.Header.ScanId, later.Header.ScanId] : [context.Calibration.Header.ScanId],
            PwvMm = context.Solution.PwvMm,
            PwvErrorMm = fit.PwvErrorMm,
            AtmosphereFitRmsK = fit.ResidualRmsK,
            AtmosphereFitStatus = fit.Status == AtmosphereFitStatus.Ok ? "ok" : "failed",
            MeanAirmass = context.Solution.MeanOnAirmass,
            MinAirmass = airmass.Min(),
            MaxAirmass = airmass.Max(),
            Dumps = airmass.Length,
            DumpsFlaggedByBit = [.. Enumerable.Range(0, 3).Select(bit => DumpsWith(context.DumpFlags, pixels, (byte)(1 << bit)))],
            ChannelFractionFlaggedByBit = [.. Enumerable.Range(0, 3).Select(bit => (double)flags.Count(f => (f & (1 << bit)) != 0) / flags.Length)],
            ChannelFractionFlagged = (double)flags.Count(f => f != 0) / flags.Length,
            SuspectRadiometerRatio = suspectRadiometerRatio,
            Pixels = pixelQuality,
            LineFrequencyGHz = lineFrequency,
            SystemTemperatureLines = systemTemperatureLines,
            MeanTaStarLines = BinnedLine.OfPixels(frequencyGHz, accumulator.MeanSpectrum(), pixels, ScanQuality.MaxLinePoints).Y,
            Waterfall = accumulator.Waterfall(),
            WaterfallColumns = accumulator.WaterfallColumns,
            WaterfallFrequencyGHz = [.. Enumerable.Range(0, accumulator.WaterfallColumns).Select(c => Mean(frequencyGHz, accumulator.ColumnStart(c), accumulator.ColumnStart(c + 1)))],
            FitFrequencyGHz = fitFrequency,
            FitMeasuredSkyK = measured,
            FitModelSkyK = model,
        };
    }

    /// <summary>Dumps with <paramref name="bit"/> set on at least one pixel.</summary>
    private static int DumpsWith(byte[] dumpFlags, int pixels, byte bit)
    {
        var count = 0;
        for (var d = 0; d < dumpFlags.Length / pixels; d++)
        {
            foreach (var flag in dumpFlags.AsSpan(d * pixels, pixels))
            {
                if ((flag & bit) != 0)
                {
                    count++;
                    break;
                }
            }
        }

        return count;
    }

    /// <summary>The measured sky temperature of C₁ averaged over its good pixels' unflagged channels, and the model at the
    /// PWV in use and the calibration's airmass, in the fit's bins; NaN for a bin without a good channel.</summary>
    private static (double[] Frequency, double[] Measured, double[] Model) FitPlot(ScienceScanContext context, double[] frequencyGHz)
    {
        var loads = context.Calibration.Loads;
        int pixels = loads.Pixels, channels = loads.Channels;
        var modelSky = new double[channels];
        context.Calibration.Sky.Brightness(context.Solution.PwvMm, SkyModel.Airmass(loads.ElevationDeg), modelSky);
        var bins = Math.Min(MaxFitBins, channels);
        double[] frequency = new double[bins], measured = new double[bins], model = new double[bins];
        for (var b = 0; b < bins; b++)
        {
            int start = (int)Math.Round((double)b * channels / bins, MidpointRounding.AwayFromZero), end = (int)Math.Round((double)(b + 1) * channels / bins, MidpointRounding.AwayFromZero);
            double sum = 0, modelSum = 0;
            int n = 0, modelChannels = 0;
            for (var k = start; k < end; k++)
            {
                var used = false;
                for (var p = 0; p < pixels; p++)
                {
                    var i = (p * channels) + k;
                    if (!loads.PixelIsBad[p] && loads.Flags[i] == ChannelFlags.None && double.IsFinite(loads.SkyTemperatureK[i]))
                    {
                        sum += loads.SkyTemperatureK[i];
                        n++;
                        used = true;
                    }
                }

                if (used)
                {
                    modelSum += modelSky[k];
                    modelChannels++;
                }
            }

            frequency[b] = Mean(frequencyGHz, start, end);
            measured[b] = n == 0 ? double.NaN : sum / n;
            model[b] = modelChannels == 0 ? double.NaN : modelSum / modelChannels;
        }

        return (frequency, measured, model);
    }

    private static double Mean(double[] values, int start, int end)
    {
        double sum = 0;
        for (var k = start; k < end; k++)
        {
            sum += values[k];
        }

        return sum / (end - start);
    }
}

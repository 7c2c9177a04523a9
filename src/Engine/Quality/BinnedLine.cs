namespace Scanflow.Engine.Quality;

/// <summary>A line of a quality plot thinned for drawing: consecutive samples averaged in equal bins, so 65,536 channels
/// draw as at most <c>maxPoints</c> points. A bin with no finite value stays NaN, which the plot draws as a gap.</summary>
internal static class BinnedLine
{
    /// <summary>Bins <paramref name="y"/> (NaN where bad) against <paramref name="x"/>: the mean x of each bin and the mean
    /// of its finite y values. A bad run shorter than a bin is averaged over; at 1,000 pixels across it would be narrower
    /// than a screen pixel anyway.</summary>
    public static (double[] X, double[] Y) Of(ReadOnlySpan<double> x, ReadOnlySpan<float> y, int maxPoints)
    {
        if (x.Length != y.Length)
        {
            throw new ArgumentException($"a line of {y.Length} values against {x.Length} positions");
        }

        var (bins, binSize) = Bins(x.Length, maxPoints);
        var binnedX = new double[bins];
        var binnedY = new double[bins];
        for (var bin = 0; bin < bins; bin++)
        {
            var start = bin * binSize;
            var end = Math.Min(start + binSize, x.Length);
            double sumX = 0, sumY = 0;
            var good = 0;
            for (var i = start; i < end; i++)
            {
                sumX += x[i];
                if (float.IsFinite(y[i]))
                {
                    sumY += y[i];
                    good++;
                }
            }

            binnedX[bin] = sumX / (end - start);
            binnedY[bin] = good == 0 ? double.NaN : sumY / good;
        }

        return (binnedX, binnedY);
    }

    /// <summary>Every pixel's line of a [n_pix × n_chan] quantity, binned alike: the bins' mean x, and [n_pix × bins]
    /// binned values. What a plot of 64 × 65,536 channels needs is then a few hundred KiB, not 16 MiB.</summary>
    public static (double[] X, float[] Y) OfPixels(double[] x, float[] values, int pixels, int maxPoints)
    {
        var channels = x.Length;
        if (values.Length != (long)pixels * channels)
        {
            throw new ArgumentException($"{pixels} pixels × {channels} channels need {(long)pixels * channels} values, got {values.Length}");
        }

        var (bins, _) = Bins(channels, maxPoints);
        var binnedX = bins == 0 ? [] : Of(x, values.AsSpan(0, channels), maxPoints).X;
        var binnedY = new float[pixels * bins];
        for (var p = 0; p < pixels; p++)
        {
            var (_, y) = Of(x, values.AsSpan(p * channels, channels), maxPoints);
            for (var b = 0; b < bins; b++)
            {
                binnedY[(p * bins) + b] = (float)y[b];
            }
        }

        return (binnedX, binnedY);
    }

    private static (int Bins, int BinSize) Bins(int length, int maxPoints)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPoints, 1);
        var binSize = (length + maxPoints - 1) / maxPoints;
        return (binSize == 0 ? 0 : (length + binSize - 1) / binSize, binSize);
    }
}

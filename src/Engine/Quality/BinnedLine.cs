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

        return (Means(x, maxPoints), FiniteMeans(y, maxPoints));
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

        var binnedX = Means(x, maxPoints);
        var binnedY = new float[pixels * binnedX.Length];
        for (var p = 0; p < pixels; p++)
        {
            var y = FiniteMeans(values.AsSpan(p * channels, channels), maxPoints);
            for (var b = 0; b < y.Length; b++)
            {
                binnedY[(p * binnedX.Length) + b] = (float)y[b];
            }
        }

        return (binnedX, binnedY);
    }

    /// <summary>The mean of each bin of <paramref name="x"/>.</summary>
    private static double[] Means(ReadOnlySpan<double> x, int maxPoints)
    {
        var (bins, binSize) = Bins(x.Length, maxPoints);
        var means = new double[bins];
        for (var bin = 0; bin < bins; bin++)
        {
            var run = x[(bin * binSize)..Math.Min((bin + 1) * binSize, x.Length)];
            double sum = 0;
            foreach (var value in run)
            {
                sum += value;
            }

            means[bin] = sum / run.Length;
        }

        return means;
    }

    /// <summary>The mean of the finite values of each bin of <paramref name="y"/>; NaN for a bin with none.</summary>
    private static double[] FiniteMeans(ReadOnlySpan<float> y, int maxPoints)
    {
        var (bins, binSize) = Bins(y.Length, maxPoints);
        var means = new double[bins];
        for (var bin = 0; bin < bins; bin++)
        {
            double sum = 0;
            var good = 0;
            foreach (var value in y[(bin * binSize)..Math.Min((bin + 1) * binSize, y.Length)])
            {
                if (float.IsFinite(value))
                {
                    sum += value;
                    good++;
                }
            }

            means[bin] = good == 0 ? double.NaN : sum / good;
        }

        return means;
    }

    private static (int Bins, int BinSize) Bins(int length, int maxPoints)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPoints, 1);
        var binSize = (length + maxPoints - 1) / maxPoints;
        return (binSize == 0 ? 0 : (length + binSize - 1) / binSize, binSize);
    }
}

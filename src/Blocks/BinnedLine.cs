namespace Scanflow.Blocks;

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

        ArgumentOutOfRangeException.ThrowIfLessThan(maxPoints, 1);
        var binSize = (x.Length + maxPoints - 1) / maxPoints;
        var bins = binSize == 0 ? 0 : (x.Length + binSize - 1) / binSize;
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
}

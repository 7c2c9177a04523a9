using System.Buffers;
using Scanflow.Engine.Science;

namespace Scanflow.Blocks;

/// <summary>The median of a per-pixel-and-channel quantity over its unflagged, finite values, for the science gauges.
/// Selection instead of a sort: with 64 pixels × 65,536 channels a sort would cost the Atmosphere stage a noticeable
/// fraction of a second per scan.</summary>
internal static class GoodChannelMedian
{
    /// <summary>NaN when no value is good.</summary>
    public static double Of(ReadOnlySpan<double> values, ReadOnlySpan<ChannelFlags> flags)
    {
        var buffer = ArrayPool<double>.Shared.Rent(values.Length);
        try
        {
            var count = 0;
            for (var i = 0; i < values.Length; i++)
            {
                if (flags[i] == ChannelFlags.None && double.IsFinite(values[i]))
                {
                    buffer[count++] = values[i];
                }
            }

            if (count == 0)
            {
                return double.NaN;
            }

            var good = buffer.AsSpan(0, count);
            var upper = Select(good, count / 2);
            // numpy's median of an even count: the mean of the two middle values; the lower one is the largest left of the upper.
            return count % 2 == 1 ? upper : 0.5 * (upper + Max(good[..(count / 2)]));
        }
        finally
        {
            ArrayPool<double>.Shared.Return(buffer);
        }
    }

    // Hoare's quickselect with a middle pivot: afterwards values[k] is the k-th smallest, everything left of it ≤ it.
    private static double Select(Span<double> values, int k)
    {
        var left = 0;
        var right = values.Length - 1;
        while (left < right)
        {
            var pivot = values[left + ((right - left) / 2)];
            var i = left;
            var j = right;
            while (i <= j)
            {
                while (values[i] < pivot)
                {
                    i++;
                }

                while (values[j] > pivot)
                {
                    j--;
                }

                if (i <= j)
                {
                    (values[i], values[j]) = (values[j], values[i]);
                    i++;
                    j--;
                }
            }

            if (k <= j)
            {
                right = j;
            }
            else if (k >= i)
            {
                left = i;
            }
            else
            {
                break;
            }
        }

        return values[k];
    }

    private static double Max(ReadOnlySpan<double> values)
    {
        var max = double.NegativeInfinity;
        foreach (var v in values)
        {
            max = Math.Max(max, v);
        }

        return max;
    }
}

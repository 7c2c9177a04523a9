namespace Scanflow.Engine.Science;

/// <summary>numpy-style median: the mean of the two middle values for an even count.</summary>
internal static class Median
{
    /// <summary>Median of finite <paramref name="values"/>, which it reorders in place; NaN when empty. A selection, not a
    /// sort: with 64 pixels × 65,536 channels a sort would cost a noticeable fraction of a second.</summary>
    public static double OfInPlace(Span<double> values)
    {
        if (values.IsEmpty)
        {
            return double.NaN;
        }

        int mid = values.Length / 2;
        var upper = Select(values, mid);
        // Afterwards everything left of mid is ≤ values[mid]: the lower middle value is the largest of them.
        return values.Length % 2 == 1 ? upper : 0.5 * (Max(values[..mid]) + upper);
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

namespace Scanflow.Engine.Science;

/// <summary>numpy-style median: the mean of the two middle values for an even count.</summary>
internal static class Median
{
    /// <summary>Median of the values; sorts <paramref name="values"/> in place. NaN when empty.</summary>
    public static double OfInPlace(Span<double> values)
    {
        if (values.IsEmpty)
        {
            return double.NaN;
        }

        values.Sort();
        int mid = values.Length / 2;
        return values.Length % 2 == 1 ? values[mid] : 0.5 * (values[mid - 1] + values[mid]);
    }
}

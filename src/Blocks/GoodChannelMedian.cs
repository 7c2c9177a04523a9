using System.Buffers;
using System.Numerics;
using Scanflow.Engine.Science;

namespace Scanflow.Blocks;

/// <summary>The median of a per-pixel-and-channel quantity over its unflagged, finite values, for the science gauges.</summary>
internal static class GoodChannelMedian
{
    /// <summary>NaN when no value is good.</summary>
    public static double Of(ReadOnlySpan<double> values, ReadOnlySpan<ChannelFlags> flags) => OfAny(values, flags);

    /// <summary>Of float32 values, as a product stores them; NaN when no value is good.</summary>
    public static double Of(ReadOnlySpan<float> values, ReadOnlySpan<ChannelFlags> flags) => OfAny(values, flags);

    private static double OfAny<T>(ReadOnlySpan<T> values, ReadOnlySpan<ChannelFlags> flags)
        where T : IFloatingPointIeee754<T>
    {
        var buffer = ArrayPool<double>.Shared.Rent(values.Length);
        try
        {
            var count = 0;
            for (var i = 0; i < values.Length; i++)
            {
                if (flags[i] == ChannelFlags.None && T.IsFinite(values[i]))
                {
                    buffer[count++] = double.CreateTruncating(values[i]);
                }
            }

            return Median.OfInPlace(buffer.AsSpan(0, count));
        }
        finally
        {
            ArrayPool<double>.Shared.Return(buffer);
        }
    }
}

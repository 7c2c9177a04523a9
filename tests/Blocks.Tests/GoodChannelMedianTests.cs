using Scanflow.Engine.Science;

namespace Scanflow.Blocks.Tests;

public class GoodChannelMedianTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(999)]
    [InlineData(1000)]
    public void Of_equals_the_sorted_median_of_the_unflagged_finite_values(int count)
    {
        var random = new Random(count);
        // Few distinct values, so ties (the hard case for a selection) are common.
        var values = Enumerable.Range(0, count + 20).Select(_ => (double)random.Next(50)).ToArray();
        var flags = new ChannelFlags[values.Length];
        for (var i = count; i < values.Length; i += 2)
        {
            flags[i] = ChannelFlags.BadChannel;
        }

        for (var i = count + 1; i < values.Length; i += 2)
        {
            values[i] = i % 4 == 1 ? double.NaN : double.PositiveInfinity;
        }

        var good = values[..count].Order().ToArray();
        var expected = count % 2 == 1 ? good[count / 2] : 0.5 * (good[(count / 2) - 1] + good[count / 2]);

        Assert.Equal(expected, GoodChannelMedian.Of(values, flags));
    }

    [Fact]
    public void Of_is_NaN_when_no_value_is_good() =>
        Assert.True(double.IsNaN(GoodChannelMedian.Of([1.0, double.NaN], [ChannelFlags.BadPixel, ChannelFlags.None])));

    [Fact]
    public void Of_float32_values_skips_flagged_and_non_finite_ones_and_averages_the_middle_two_in_double()
    {
        // The T_sys gauge reads the product's float32 T_sys: the median of 16777216 and 16777218 is 16777217, which
        // float32 cannot hold, so the mean of the middle two must be taken in double.
        float[] values = [16777218f, float.PositiveInfinity, 1f, 16777216f, 3e38f, float.NaN, 2e38f];
        ChannelFlags[] flags = [ChannelFlags.None, ChannelFlags.None, ChannelFlags.BadChannel, ChannelFlags.None, ChannelFlags.AtmosphereCore, ChannelFlags.None, ChannelFlags.BadPixel];

        Assert.Equal(16777217.0, GoodChannelMedian.Of(values, flags));
    }
}

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
}

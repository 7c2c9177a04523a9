using Scanflow.Engine.Science;

namespace Scanflow.Engine.Tests.Science;

public class OffCountsCheckTests
{
    private const int Pixels = 3;
    private const int Channels = 8;

    [Fact]
    public void A_non_finite_OFF_value_flags_only_its_channel_10()
    {
        var check = new OffCountsCheck(Pixels, Channels);
        var dump = Dump(1e6f);
        dump[(1 * Channels) + 4] = float.PositiveInfinity;
        dump[(2 * Channels) + 0] = float.NaN;

        Assert.True(check.Add(dump));
        var flags = new ChannelFlags[Pixels * Channels];
        Assert.Equal(0, check.ApplyTo(flags));

        Assert.Equal([12, 16], Enumerable.Range(0, flags.Length).Where(i => flags[i] == ChannelFlags.BadChannel));
        Assert.Equal(2, check.NonFiniteValues);
        Assert.Equal(1e6, check.MaxMagnitude[1]);
    }

    [Fact]
    public void A_zero_filled_or_mostly_NaN_pixel_in_an_OFF_dump_flags_the_whole_pixel_10()
    {
        var check = new OffCountsCheck(Pixels, Channels);
        var dump = Dump(1e6f);
        dump.AsSpan(0, Channels).Clear();
        dump.AsSpan((2 * Channels) + 1, 5).Fill(float.NaN);

        Assert.True(check.Add(dump));
        Assert.True(check.Add(Dump(2e6f)));
        var flags = new ChannelFlags[Pixels * Channels];
        Assert.Equal(2, check.ApplyTo(flags));

        Assert.All(flags.AsSpan(0, Channels).ToArray(), f => Assert.Equal(ChannelFlags.BadChannel | ChannelFlags.BadPixel, f));
        Assert.All(flags.AsSpan(Channels, Channels).ToArray(), f => Assert.Equal(ChannelFlags.None, f));
        Assert.All(flags.AsSpan(2 * Channels, Channels).ToArray(), f => Assert.True((f & ChannelFlags.BadPixel) != 0));
        Assert.Equal(1, check.ZeroFilledPixelDumps);
    }

    [Fact]
    public void An_OFF_dump_all_zero_for_every_pixel_is_not_usable_and_flags_nothing_10()
    {
        var check = new OffCountsCheck(Pixels, Channels);

        Assert.False(check.Add(new float[Pixels * Channels]));
        Assert.True(check.Add(Dump(1e6f)));
        var flags = new ChannelFlags[Pixels * Channels];
        check.ApplyTo(flags);

        Assert.All(flags, f => Assert.Equal(ChannelFlags.None, f));
        Assert.Equal(1, check.ZeroFilledDumps);
    }

    [Fact]
    public void OFF_flags_add_to_the_calibration_flags_and_can_tip_a_pixel_over_half_bad_10()
    {
        var check = new OffCountsCheck(1, Channels);
        var dump = new float[Channels];
        dump.AsSpan().Fill(1e6f);
        dump[6] = float.NaN;
        check.Add(dump);
        var flags = new ChannelFlags[Channels];
        flags.AsSpan(0, 4).Fill(ChannelFlags.BadChannel);
        flags[7] = ChannelFlags.AtmosphereCore;

        Assert.Equal(1, check.ApplyTo(flags));

        Assert.All(flags, f => Assert.True((f & ChannelFlags.BadPixel) != 0));
        Assert.Equal(ChannelFlags.AtmosphereCore | ChannelFlags.BadPixel, flags[7]);
    }

    private static float[] Dump(float value)
    {
        var dump = new float[Pixels * Channels];
        dump.AsSpan().Fill(value);
        return dump;
    }
}

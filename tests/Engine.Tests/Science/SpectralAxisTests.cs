using Scanflow.Engine.Model;
using Scanflow.Engine.Science;

namespace Scanflow.Engine.Tests.Science;

public class SpectralAxisTests
{
    [Fact]
    public void Upper_sideband_puts_the_signal_above_the_LO_and_the_image_below()
    {
        var axis = new SpectralAxis(475e9, Sideband.Usb, [4e9, 8e9]);
        Assert.Equal([479e9, 483e9], axis.SignalFrequencyHz);
        Assert.Equal([471e9, 467e9], axis.ImageFrequencyHz);
    }

    [Fact]
    public void Lower_sideband_puts_the_signal_below_the_LO_and_the_image_above()
    {
        var axis = new SpectralAxis(812e9, Sideband.Lsb, [4e9, 8e9]);
        Assert.Equal([808e9, 804e9], axis.SignalFrequencyHz);
        Assert.Equal([816e9, 820e9], axis.ImageFrequencyHz);
    }

    [Fact]
    public void Noise_bandwidth_defaults_to_0_96_of_the_median_channel_spacing()
    {
        var axis = new SpectralAxis(475e9, Sideband.Usb, [4.0e9, 4.1e9, 4.2e9, 4.5e9]);
        Assert.Equal(0.96 * 0.1e9, axis.NoiseBandwidthHz, 1e-3);
    }

    [Fact]
    public void Noise_bandwidth_uses_the_raw_channel_enbw_when_given()
    {
        var axis = new SpectralAxis(475e9, Sideband.Usb, [4e9], channelEnbwHz: 117e3);
        Assert.Equal(117e3, axis.NoiseBandwidthHz);
    }

    [Fact]
    public void A_single_channel_without_an_enbw_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => new SpectralAxis(475e9, Sideband.Usb, [4e9]));
    }

    [Fact]
    public void Sideband_weights_from_a_gain_ratio_sum_to_one()
    {
        var weights = SidebandWeights.FromGainRatio(0.5);
        Assert.Equal(2.0 / 3.0, weights.Signal, 15);
        Assert.Equal(1.0 / 3.0, weights.Image, 15);
        Assert.Equal(0.5, weights.GainRatio, 15);
    }

    [Fact]
    public void Airmass_is_one_over_the_sine_of_elevation()
    {
        Assert.Equal(2.0, SkyModel.Airmass(30.0), 14);
        Assert.Equal(1.0, SkyModel.Airmass(90.0), 15);
    }
}

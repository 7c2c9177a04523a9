using Scanflow.Engine.Science;

namespace Scanflow.Engine.Tests.Science;

public class RadiationTemperatureTests
{
    private const double Hv810OverK = PhysicalConstants.Planck * 810e9 / PhysicalConstants.Boltzmann;

    [Fact]
    public void Planck_at_810_GHz_and_80_K_is_about_62_K()
    {
        // calibration.md §1.1: J(810 GHz, 80 K) ≈ 62 K, 18 K below Rayleigh–Jeans.
        double j = RadiationTemperature.J(810e9, 80.0, JMode.Planck);
        Assert.InRange(j, 61.5, 62.5);
        Assert.Equal(Hv810OverK / (Math.Exp(Hv810OverK / 80.0) - 1.0), j, 12);
    }

    [Theory]
    [InlineData(460e9, 11.0)]
    [InlineData(810e9, 19.4)]
    public void Callen_Welton_exceeds_Planck_by_the_zero_point_term(double frequencyHz, double zeroPointK)
    {
        double difference = RadiationTemperature.J(frequencyHz, 150.0, JMode.CallenWelton) - RadiationTemperature.J(frequencyHz, 150.0, JMode.Planck);
        Assert.Equal(PhysicalConstants.Planck * frequencyHz / (2.0 * PhysicalConstants.Boltzmann), difference, 12);
        Assert.InRange(difference, zeroPointK - 0.05, zeroPointK + 0.05);
    }

    [Fact]
    public void Rayleigh_Jeans_returns_the_physical_temperature()
    {
        Assert.Equal(80.0, RadiationTemperature.J(810e9, 80.0, JMode.RayleighJeans));
    }

    [Theory]
    [InlineData(1e4)]
    [InlineData(1e7)]
    [InlineData(1e12)]
    public void Planck_tends_to_T_minus_half_hv_over_k_at_high_temperature(double temperatureK)
    {
        // J = T − hν/2k + O(hν²/kT): stable only if exp(x) − 1 is computed without cancellation.
        double j = RadiationTemperature.J(810e9, temperatureK, JMode.Planck);
        // T·x/(eˣ − 1) = T·(1 − x/2 + x²/12 − x⁴/720 + …), x = hν/kT.
        double x = Hv810OverK / temperatureK;
        double expected = temperatureK * (1.0 - (x / 2.0) + (x * x / 12.0) - (x * x * x * x / 720.0));
        Assert.Equal(expected, j, (1e-13 * temperatureK) + 1e-9);
    }

    [Fact]
    public void Planck_is_zero_at_absolute_zero()
    {
        Assert.Equal(0.0, RadiationTemperature.J(460e9, 0.0, JMode.Planck));
    }

    [Theory]
    [InlineData(JMode.Planck, "planck")]
    [InlineData(JMode.CallenWelton, "callen_welton")]
    [InlineData(JMode.RayleighJeans, "rj")]
    public void JMode_names_round_trip(JMode mode, string name)
    {
        Assert.Equal(name, JModeNames.Of(mode));
        Assert.True(JModeNames.TryParse(name.ToUpperInvariant(), out var parsed));
        Assert.Equal(mode, parsed);
    }

    [Fact]
    public void JMode_parsing_rejects_unknown_names()
    {
        Assert.False(JModeNames.TryParse("kalibrate", out _));
    }
}

using Scanflow.Engine.Science;

namespace Scanflow.Engine.Tests.Science;

public class AtmosphereModelTests
{
    private static readonly AtmosphereModel Model = AtmosphereModel.Default;

    [Fact]
    public void Zenith_opacity_at_460_GHz_and_am_PWV_lies_in_the_required_window()
    {
        // calibration.md §2.4: 0.30 ≤ τ(460 GHz, 0.457 mm) ≤ 0.42.
        double tau = Model.ZenithOpacity(460e9, 0.457);
        Assert.InRange(tau, 0.30, 0.42);
    }

    [Fact]
    public void Zenith_opacity_at_810_GHz_and_am_PWV_lies_in_the_required_window()
    {
        // calibration.md §2.4: 0.62 ≤ τ(810 GHz, 0.457 mm) ≤ 0.80.
        double tau = Model.ZenithOpacity(810e9, 0.457);
        Assert.InRange(tau, 0.62, 0.80);
    }

    [Theory]
    [InlineData(460e9)]
    [InlineData(481e9)]
    [InlineData(556.936e9)]
    [InlineData(806e9)]
    [InlineData(830e9)]
    public void Zenith_opacity_increases_strictly_with_PWV(double frequencyHz)
    {
        double previous = Model.ZenithOpacity(frequencyHz, 0.0);
        for (double pwv = 0.05; pwv <= 5.0; pwv += 0.05)
        {
            double tau = Model.ZenithOpacity(frequencyHz, pwv);
            Assert.True(tau > previous, $"τ({frequencyHz / 1e9} GHz) did not increase at PWV {pwv} mm");
            previous = tau;
        }
    }

    [Fact]
    public void The_557_GHz_water_line_is_more_than_fifty_times_as_opaque_as_the_460_GHz_window()
    {
        Assert.True(Model.ZenithOpacity(556.936e9, 0.457) > 50.0 * Model.ZenithOpacity(460e9, 0.457));
    }

    [Theory]
    [InlineData(460.0, 0.39, 0.02)]
    [InlineData(470.0, 0.55, 0.02)]
    [InlineData(492.0, 0.47, 0.02)]
    [InlineData(495.0, 0.43, 0.02)]
    [InlineData(806.0, 0.82, 0.02)]
    [InlineData(810.0, 0.78, 0.02)]
    [InlineData(820.0, 0.70, 0.02)]
    [InlineData(830.0, 0.65, 0.01)]
    public void Zenith_opacity_at_half_a_millimetre_matches_the_spec_table(double frequencyGhz, double expected, double tolerance)
    {
        // calibration.md §2.4 "Model values at PWV 0.5 mm".
        Assert.InRange(Model.ZenithOpacity(frequencyGhz * 1e9, 0.5), expected - tolerance, expected + tolerance);
    }

    [Theory]
    [InlineData(460.0, 0.20)]
    [InlineData(810.0, 0.41)]
    public void Zenith_opacity_at_a_quarter_millimetre_matches_the_spec(double frequencyGhz, double expected)
    {
        Assert.InRange(Model.ZenithOpacity(frequencyGhz * 1e9, 0.25), expected - 0.02, expected + 0.02);
    }

    [Fact]
    public void Wet_slope_near_808_GHz_is_minus_0_024_per_GHz_per_mm()
    {
        // calibration.md §2.4: dτ/dν ≈ −0.024 per GHz per mm PWV near 806–810 GHz.
        double slope = (Model.WetOpacityPerMm(810e9) - Model.WetOpacityPerMm(806e9)) / 4.0;
        Assert.InRange(slope, -0.026, -0.022);
    }

    [Fact]
    public void Zenith_opacity_is_the_dry_term_plus_PWV_times_the_wet_term()
    {
        Assert.Equal(Model.DryOpacity(481e9) + (0.7 * Model.WetOpacityPerMm(481e9)), Model.ZenithOpacity(481e9, 0.7), 15);
    }

    [Fact]
    public void Id_names_the_model_version_and_a_hash_of_the_constants()
    {
        Assert.Matches("^scanflow-slab 1\\.0 sha256:[0-9a-f]{12}$", Model.Id);
        Assert.Contains("h2o=556.936:4172\n", Model.ConstantsTable, StringComparison.Ordinal);
        Assert.Contains("o2=834.146:0.3\n", Model.ConstantsTable, StringComparison.Ordinal);
    }
}

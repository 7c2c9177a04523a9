using Scanflow.Engine.Science;

namespace Scanflow.Engine.Tests.Science;

public class AtmosphereFitTests
{
    private const int Pixels = 4;
    private const int Channels = 1024;
    private const double ElevationDeg = 60.0;

    [Theory]
    [InlineData("LFA", 0.3)]
    [InlineData("LFA", 1.0)]
    [InlineData("LFA", 2.0)]
    [InlineData("HFA", 0.3)]
    [InlineData("HFA", 1.0)]
    public void Fit_recovers_the_PWV_of_noiseless_sky_data(string band, double pwvMm)
    {
        var sky = SyntheticCalibration.Sky(Axis(band, Channels));
        var solution = HotColdSolution.Solve(SyntheticCalibration.Loads(sky, Pixels, pwvMm, ElevationDeg), sky);

        var fit = AtmosphereFit.Fit(solution, sky);

        Assert.Equal(AtmosphereFitStatus.Ok, fit.Status);
        Assert.Null(fit.FailureReason);
        Assert.Equal(pwvMm, fit.PwvMm, 1e-6);
        Assert.All(fit.PixelPwvMm, pixelPwv => Assert.Equal(pwvMm, pixelPwv, 1e-6));
        Assert.True(fit.ResidualRmsK < 1e-6, $"residual RMS {fit.ResidualRmsK} K");
        Assert.InRange(fit.BinsUsed, 10, Pixels * 256);
    }

    [Fact]
    public void Fit_drops_bins_in_atmosphere_cores_before_the_final_pass()
    {
        // LFA at 2 mm: the image band edge near 467 GHz has t_i < 0.05 at el 60°.
        var sky = SyntheticCalibration.Sky(SyntheticCalibration.Lfa(Channels));
        var solution = HotColdSolution.Solve(SyntheticCalibration.Loads(sky, Pixels, 2.0, ElevationDeg), sky);

        var fit = AtmosphereFit.Fit(solution, sky);

        var trSignal = new double[Channels];
        var trImage = new double[Channels];
        sky.Transmission(2.0, SkyModel.Airmass(ElevationDeg), trSignal, trImage);
        var edges = AtmosphereFit.BinEdges(Channels);
        int coreBins = Enumerable.Range(0, 256).Count(b => Enumerable.Range(edges[b], edges[b + 1] - edges[b]).Any(k => trSignal[k] < 0.05 || trImage[k] < 0.05));
        Assert.True(coreBins > 0);
        Assert.Equal(Pixels * (256 - coreBins), fit.BinsUsed);
    }

    [Theory]
    [InlineData("LFA", 0.5, 1)]
    [InlineData("LFA", 1.5, 2)]
    [InlineData("HFA", 0.4, 3)]
    [InlineData("HFA", 1.0, 4)]
    public void Fit_with_radiometer_noise_recovers_the_PWV_within_the_acceptance_tolerance(string band, double pwvMm, int seed)
    {
        // calibration.md §3.4: PWV within max(0.03 mm, 5 %) at el ≥ 30° with a 5 s sky dump.
        var sky = SyntheticCalibration.Sky(Axis(band, 4096));
        var loads = SyntheticCalibration.Loads(sky, 8, pwvMm, 35.0, skySeconds: 5.0, noise: new Random(seed));
        var solution = HotColdSolution.Solve(loads, sky);

        var fit = AtmosphereFit.Fit(solution, sky);

        Assert.Equal(AtmosphereFitStatus.Ok, fit.Status);
        Assert.Equal(pwvMm, fit.PwvMm, Math.Max(0.03, 0.05 * pwvMm));
        Assert.True(fit.PwvErrorMm > 0 && fit.PwvErrorMm < 0.01, $"PWV_err {fit.PwvErrorMm} mm");
        Assert.True(Math.Abs(fit.PwvMm - pwvMm) < 5.0 * fit.PwvErrorMm, $"PWV {fit.PwvMm} mm, err {fit.PwvErrorMm} mm");
        Assert.True(fit.ResidualRmsK < 1.0, $"residual RMS {fit.ResidualRmsK} K");
    }

    [Fact]
    public void Fit_clips_a_bin_with_a_five_sigma_outlier()
    {
        var sky = SyntheticCalibration.Sky(SyntheticCalibration.Lfa(Channels));
        var loads = SyntheticCalibration.Loads(sky, Pixels, 0.5, ElevationDeg, noise: new Random(7));
        for (int k = 400; k < 404; k++)
        {
            loads.Sky[k] *= 1.2; // one bin of pixel 0 far off the model
        }

        var fit = AtmosphereFit.Fit(HotColdSolution.Solve(loads, sky), sky);

        Assert.Equal(AtmosphereFitStatus.Ok, fit.Status);
        Assert.Equal((Pixels * 256) - 1, fit.BinsUsed);
        Assert.Equal(0.5, fit.PwvMm, 0.03);
    }

    [Fact]
    public void Fit_of_data_wetter_than_the_upper_bound_fails()
    {
        var sky = SyntheticCalibration.Sky(SyntheticCalibration.Lfa(Channels));
        var solution = HotColdSolution.Solve(SyntheticCalibration.Loads(sky, Pixels, 8.0, ElevationDeg), sky);

        var fit = AtmosphereFit.Fit(solution, sky);

        Assert.Equal(AtmosphereFitStatus.Failed, fit.Status);
        Assert.Equal(5.0, fit.PwvMm, 1e-6);
        Assert.Contains("bound", fit.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_of_data_drier_than_the_lower_bound_fails_on_the_bound()
    {
        var sky = SyntheticCalibration.Sky(SyntheticCalibration.Lfa(Channels));
        var solution = HotColdSolution.Solve(SyntheticCalibration.Loads(sky, Pixels, 0.0, ElevationDeg), sky);

        var fit = AtmosphereFit.Fit(solution, sky);

        Assert.Equal(AtmosphereFitStatus.Failed, fit.Status);
        Assert.Equal(0.01, fit.PwvMm, 1e-6);
        Assert.Contains("bound", fit.FailureReason, StringComparison.Ordinal);
        Assert.Equal(Pixels * 256, fit.BinsUsed);
    }

    [Fact]
    public void Fit_of_an_opaque_band_fails_because_no_bin_is_outside_the_cores()
    {
        // HFA at 2 mm: τ_s > 3 over 804–808 GHz, so t_s < 0.05 in every channel even near zenith.
        var sky = SyntheticCalibration.Sky(SyntheticCalibration.Hfa(Channels));
        var solution = HotColdSolution.Solve(SyntheticCalibration.Loads(sky, Pixels, 2.0, ElevationDeg), sky);

        var fit = AtmosphereFit.Fit(solution, sky);

        Assert.Equal(AtmosphereFitStatus.Failed, fit.Status);
        Assert.Equal(0, fit.BinsUsed);
        Assert.Contains("cores", fit.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_with_fewer_than_ten_bins_fails()
    {
        var sky = SyntheticCalibration.Sky(SyntheticCalibration.Lfa(8));
        var solution = HotColdSolution.Solve(SyntheticCalibration.Loads(sky, 1, 0.5, ElevationDeg), sky);

        var fit = AtmosphereFit.Fit(solution, sky);

        Assert.Equal(AtmosphereFitStatus.Failed, fit.Status);
        Assert.Equal(8, fit.BinsUsed);
        Assert.Equal(0.5, fit.PwvMm, 1e-6);
        Assert.Contains("fewer than 10", fit.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_ignores_bad_pixels_and_reports_NaN_pixel_PWV_for_them()
    {
        var sky = SyntheticCalibration.Sky(SyntheticCalibration.Lfa(Channels));
        var loads = SyntheticCalibration.Loads(sky, Pixels, 0.8, ElevationDeg);
        for (int k = 0; k < Channels; k++)
        {
            loads.Cold[Channels + k] = loads.Hot[Channels + k]; // pixel 1 dead
            loads.Sky[Channels + k] *= 0.5;
        }

        var fit = AtmosphereFit.Fit(HotColdSolution.Solve(loads, sky), sky);

        Assert.Equal(AtmosphereFitStatus.Ok, fit.Status);
        Assert.Equal(0.8, fit.PwvMm, 1e-6);
        Assert.True(double.IsNaN(fit.PixelPwvMm[1]));
        Assert.Equal(3 * 256, fit.BinsUsed);
    }

    [Theory]
    [InlineData(1000, new[] { 0, 4, 8, 12, 16 })]
    [InlineData(8, new[] { 0, 1, 2, 3, 4, 5, 6, 7, 8 })]
    public void Bin_edges_are_numpy_rounded_linspace(int channels, int[] leadingEdges)
    {
        // 1000/256 = 3.90625: edge 2 is round(7.8125) = 8, edge 4 is round(15.625) = 16.
        var edges = AtmosphereFit.BinEdges(channels);
        Assert.Equal(Math.Min(256, channels) + 1, edges.Length);
        Assert.Equal(leadingEdges, edges.Take(leadingEdges.Length));
        Assert.Equal(channels, edges[^1]);
    }

    [Fact]
    public void Bin_edges_round_half_to_even_like_numpy()
    {
        // 640/256 = 2.5: edge 1 is round(2.5) = 2 (not 3), edge 3 is round(7.5) = 8.
        var edges = AtmosphereFit.BinEdges(640);
        Assert.Equal([0, 2, 5, 8, 10], edges.Take(5));
    }

    private static SpectralAxis Axis(string band, int channels) =>
        band == "LFA" ? SyntheticCalibration.Lfa(channels) : SyntheticCalibration.Hfa(channels);
}

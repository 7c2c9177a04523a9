using Scanflow.Engine.Formats;
using Scanflow.Engine.Ledger;
using Scanflow.Engine.Quality;
using Scanflow.Engine.Tests;
using ScottPlot;
using SkiaSharp;

namespace Scanflow.Blocks.Tests;

public class QualityPlotsTests
{
    private static readonly string[] Kinds = ["tsys", "spectrum", "waterfall", "pwvfit", "radiometer"];

    [Theory]
    [InlineData(6)] // a legend names the pixels
    [InlineData(24)] // a colour bar of pixel ids stands in for the legend
    public void Render_writes_every_plot_as_a_decodable_labelled_png_recorded_as_a_PLOT_product(int pixels)
    {
        using var directory = new TempDirectory();
        var quality = SyntheticScanQuality.Create(pixels, channels: 1024, dumps: 60, waterfallColumns: 128);
        var failures = new List<string>();

        var products = QualityPlots.Render(quality, directory.Path, (kind, e) => failures.Add($"{kind}: {e}"));

        Assert.Empty(failures);
        Assert.Equal(Kinds.Select(k => directory.Combine($"scan_001234_LFA.{k}.png")), products.Select(p => p.Path));
        foreach (var product in products)
        {
            Assert.Equal(ProductTypes.Plot, product.Type);
            Assert.Equal(new FileInfo(product.Path).Length, product.Bytes);
            Assert.Equal(FileChecksum.Sha256(product.Path), product.Sha256);
            using var bitmap = SKBitmap.Decode(product.Path);
            Assert.NotNull(bitmap);
            Assert.Equal((QualityPlotStyle.Width, QualityPlotStyle.Height), (bitmap.Width, bitmap.Height));
            var (colours, inked) = Statistics(bitmap);
            Assert.True(colours >= 8, $"{Path.GetFileName(product.Path)}: only {colours} distinct colours");
            Assert.True(inked >= 0.03, $"{Path.GetFileName(product.Path)}: only {inked:P1} of the pixels are not background");
        }

        Assert.Empty(Directory.GetFiles(directory.Path, "*" + L1FileNaming.TemporarySuffix));
    }

    [Fact]
    public void Flagged_channels_draw_as_a_gap_in_every_pixel_line_not_as_a_line_across_or_a_drop_to_zero()
    {
        var quality = SyntheticScanQuality.Create(pixels: 4, channels: 1024, dumps: 10, waterfallColumns: 64);
        var gapStart = SyntheticScanQuality.FrequencyGHz(SyntheticScanQuality.FlaggedRunStart(1024), 1024);
        var gapEnd = SyntheticScanQuality.FrequencyGHz(SyntheticScanQuality.FlaggedRunEnd(1024) - 1, 1024);
        using var plot = PixelSpectraPlot.Draw(quality, quality.MeanTaStarLines, "mean T_A*", "T_A* (K)");
        using var bitmap = SKBitmap.Decode(plot.GetImageBytes(QualityPlotStyle.Width, QualityPlotStyle.Height, ImageFormat.Png));

        var inGap = ColouredPixelsInColumn(plot, bitmap, (gapStart + gapEnd) / 2);
        var beside = ColouredPixelsInColumn(plot, bitmap, gapEnd + ((gapEnd - gapStart) / 2));

        Assert.Equal(0, inGap);
        Assert.True(beside > 0, "the lines beside the gap are drawn in colour, so the check above can fail");
    }

    [Fact]
    public void Flagged_dumps_leave_blank_rows_in_the_waterfall()
    {
        var quality = SyntheticScanQuality.Create(pixels: 4, channels: 1024, dumps: 30, waterfallColumns: 64);
        using var plot = WaterfallPlot.Draw(quality);
        using var bitmap = SKBitmap.Decode(plot.GetImageBytes(QualityPlotStyle.Width, QualityPlotStyle.Height, ImageFormat.Png));
        var frequency = quality.WaterfallFrequencyGHz[48];

        var flagged = Colour(plot, bitmap, frequency, 30 / 3);
        var beside = Colour(plot, bitmap, frequency, (30 / 3) + 4);

        Assert.True(IsBlank(flagged), $"a flagged dump's cell is drawn in {flagged}, not left blank");
        Assert.False(IsBlank(beside), "a valid cell is drawn in colour, so the check above can fail");
    }

    [Fact]
    public void A_plot_that_cannot_be_drawn_is_reported_and_left_out_and_the_others_are_written()
    {
        using var directory = new TempDirectory();
        var good = SyntheticScanQuality.Create(pixels: 3, channels: 256, dumps: 10, waterfallColumns: 32);
        var quality = good with { SystemTemperatureLines = new float[100], WaterfallColumns = 31 };
        var failures = new List<(string Kind, Exception Error)>();

        var products = QualityPlots.Render(quality, directory.Path, (kind, e) => failures.Add((kind, e)));

        Assert.Equal(["tsys", "waterfall"], failures.Select(f => f.Kind));
        Assert.All(failures, f => Assert.IsType<ArgumentException>(f.Error));
        Assert.Equal(
            ["scan_001234_LFA.spectrum.png", "scan_001234_LFA.pwvfit.png", "scan_001234_LFA.radiometer.png"],
            products.Select(p => Path.GetFileName(p.Path)));
        Assert.Equal(products.Select(p => p.Path).Order(), Directory.GetFiles(directory.Path).Order());
    }

    [Fact]
    public void An_output_directory_that_cannot_be_written_fails_each_plot_without_throwing()
    {
        using var directory = new TempDirectory();
        var quality = SyntheticScanQuality.Create(pixels: 3, channels: 256, dumps: 10, waterfallColumns: 32);
        var failures = new List<(string Kind, Exception Error)>();

        var products = QualityPlots.Render(quality, directory.Combine("not", "there"), (kind, e) => failures.Add((kind, e)));

        Assert.Empty(products);
        Assert.Equal(Kinds, failures.Select(f => f.Kind));
        Assert.All(failures, f => Assert.IsType<DirectoryNotFoundException>(f.Error));
    }

    [Fact]
    public void A_rendered_plot_replaces_the_one_of_an_earlier_attempt_whole()
    {
        using var directory = new TempDirectory();
        var quality = SyntheticScanQuality.Create(pixels: 3, channels: 256, dumps: 10, waterfallColumns: 32);
        var path = directory.Combine("scan_001234_LFA.pwvfit.png");
        File.WriteAllText(path, "an earlier attempt's plot");

        var products = QualityPlots.Render(quality, directory.Path, failed: null);

        var pwvfit = Assert.Single(products, p => p.Path == path);
        Assert.Equal(FileChecksum.Sha256(path), pwvfit.Sha256);
        Assert.NotNull(SKBitmap.Decode(path));
    }

    [Fact]
    public void Binned_lines_keep_at_most_the_points_asked_for_and_a_bin_with_nothing_valid_stays_a_gap()
    {
        var x = Enumerable.Range(0, 10_000).Select(i => (double)i).ToArray();
        var y = x.Select(v => v is >= 4000 and < 6000 ? float.NaN : (float)v).ToArray();
        y[100] = float.NaN;

        var (binnedX, binnedY) = BinnedLine.Of(x, y, maxPoints: 1000);

        Assert.Equal(1000, binnedX.Length);
        Assert.Equal(4.5, binnedX[0]);
        Assert.Equal(4.5, binnedY[0]);
        Assert.Equal(105, binnedY[10], 9); // the mean of 101…109: the NaN sample is left out, not counted as 0
        Assert.All(binnedY[400..600], v => Assert.True(double.IsNaN(v)));
        Assert.True(double.IsFinite(binnedY[399]) && double.IsFinite(binnedY[600]));
    }

    /// <summary>Distinct colours (5 bits a channel) and the fraction of pixels that are not the white background.</summary>
    private static (int Colours, double Inked) Statistics(SKBitmap bitmap)
    {
        var colours = new HashSet<int>();
        var inked = 0;
        foreach (var pixel in bitmap.Pixels)
        {
            colours.Add(((pixel.Red >> 3) << 10) | ((pixel.Green >> 3) << 5) | (pixel.Blue >> 3));
            if (pixel.Red < 250 || pixel.Green < 250 || pixel.Blue < 250)
            {
                inked++;
            }
        }

        return (colours.Count, (double)inked / bitmap.Pixels.Length);
    }

    /// <summary>Pixels in colour (not white, not the grey of the grid) down the data area's column at frequency x.</summary>
    private static int ColouredPixelsInColumn(Plot plot, SKBitmap bitmap, double x)
    {
        var data = plot.LastRender.DataRect;
        var column = (int)plot.GetPixel(new Coordinates(x, 0)).X;
        var coloured = 0;
        for (var row = (int)data.Top + 2; row < (int)data.Bottom - 2; row++)
        {
            coloured += IsGrey(bitmap.GetPixel(column, row)) ? 0 : 1;
        }

        return coloured;
    }

    private static SKColor Colour(Plot plot, SKBitmap bitmap, double x, double y)
    {
        var pixel = plot.GetPixel(new Coordinates(x, y));
        return bitmap.GetPixel((int)pixel.X, (int)pixel.Y);
    }

    /// <summary>The white background, or the light grey of a grid line over it.</summary>
    private static bool IsBlank(SKColor colour) => IsGrey(colour) && colour.Red >= 200;

    private static bool IsGrey(SKColor colour) =>
        Math.Max(colour.Red, Math.Max(colour.Green, colour.Blue)) - Math.Min(colour.Red, Math.Min(colour.Green, colour.Blue)) < 16;
}

using Scanflow.Engine.Formats;
using Scanflow.Engine.Ledger;
using Scanflow.Engine.Model;
using Scanflow.Engine.Quality;
using ScottPlot;
using SkiaSharp;

namespace Scanflow.Blocks;

/// <summary>The five PNG plots of a science scan (issue 14), <c>scan_&lt;id&gt;_&lt;BAND&gt;.&lt;kind&gt;.png</c>, each a
/// PLOT product: T_sys per pixel (<c>tsys</c>), mean T_A* per pixel (<c>spectrum</c>), the array-mean T_A* waterfall
/// (<c>waterfall</c>), the PWV fit (<c>pwvfit</c>) and the radiometer ratio per pixel (<c>radiometer</c>).</summary>
internal static class QualityPlots
{
    /// <summary>The kinds in the order they are drawn, each with what draws it.</summary>
    public static readonly IReadOnlyList<(string Kind, Func<ScanQuality, Plot> Draw)> Kinds =
    [
        ("tsys", q => PixelSpectraPlot.Draw(q, q.SystemTemperatureLines, "T_sys per pixel", "T_sys (K)")),
        ("spectrum", q => PixelSpectraPlot.Draw(q, q.MeanTaStarLines, "mean T_A* per pixel (time-averaged)", "T_A* (K)")),
        ("waterfall", WaterfallPlot.Draw),
        ("pwvfit", PwvFitPlot.Draw),
        ("radiometer", RadiometerRatioPlot.Draw),
    ];

    public static string FileName(long scanId, Band band, string kind) =>
        SidecarFile.PathFor(L1FileNaming.FileName(scanId, band), "." + kind + L1FileNaming.PlotSuffix);

    /// <summary>Draws every plot of <paramref name="quality"/> into <paramref name="outputDirectory"/> and returns the
    /// PLOT products written. A plot that cannot be drawn or written is reported through <paramref name="failed"/> (its
    /// kind and why) and left out: a plot never fails the scan's SCIENCE product. An existing plot of the same name is
    /// replaced; the new one appears whole or not at all.</summary>
    public static IReadOnlyList<ProductFile> Render(ScanQuality quality, string outputDirectory, Action<string, Exception>? failed)
    {
        var products = new List<ProductFile>(Kinds.Count);
        foreach (var (kind, draw) in Kinds)
        {
            var path = Path.Combine(outputDirectory, FileName(quality.ScanId, quality.Band, kind));
            try
            {
                byte[] png;
                using (var plot = draw(quality))
                {
                    png = EncodePng(plot);
                }

                products.Add(SidecarFile.Publish(path, ProductTypes.Plot, png));
            }
            catch (Exception e)
            {
                // Any failure, ScottPlot's or the disk's, costs this plot only.
                failed?.Invoke(kind, e);
            }
        }

        return products;
    }

    /// <summary>The plot as PNG with light zlib compression: the default level took a third of a simple plot's time, for
    /// files only ~15 % smaller.</summary>
    private static byte[] EncodePng(Plot plot)
    {
        using var surface = SKSurface.Create(new SKImageInfo(QualityPlotStyle.Width, QualityPlotStyle.Height))
            ?? throw new InvalidOperationException("SkiaSharp could not create a drawing surface");
        plot.Render(surface.Canvas, QualityPlotStyle.Width, QualityPlotStyle.Height);
        using var image = surface.Snapshot();
        using var pixels = image.PeekPixels();
        using var data = pixels.Encode(new SKPngEncoderOptions(SKPngEncoderFilterFlags.AllFilters, zLibLevel: 1))
            ?? throw new InvalidOperationException("SkiaSharp could not encode the plot as PNG");
        return data.ToArray();
    }
}

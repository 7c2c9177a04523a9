using Scanflow.Engine.Quality;
using ScottPlot;

namespace Scanflow.Blocks;

/// <summary>One line per pixel of a [n_pix × bins] quantity binned along the sky frequency axis (the T_sys and mean T_A*
/// plots, <see cref="ScanQuality.LineFrequencyGHz"/>): bins of flagged channels are NaN and draw as gaps; a legend names up to <see cref="MaxLegendPixels"/> pixels, a colour bar
/// of pixel ids stands in for it beyond.</summary>
internal static class PixelSpectraPlot
{
    public const int MaxLegendPixels = 20;

    public static Plot Draw(ScanQuality quality, float[] values, string what, string yLabel)
    {
        var pixels = quality.Pixels.Count;
        var x = quality.LineFrequencyGHz;
        if (values.Length != (long)pixels * x.Length)
        {
            throw new ArgumentException($"{what}: {pixels} pixels × {x.Length} bins need {(long)pixels * x.Length} values, got {values.Length}");
        }

        var plot = QualityPlotStyle.Create(quality, what, "sky frequency (GHz)", yLabel);
        var legend = pixels <= MaxLegendPixels;
        IPalette palette = pixels <= 10 ? new ScottPlot.Palettes.Category10() : new ScottPlot.Palettes.Category20();
        var ids = quality.Pixels.Select(p => p.PixelId).ToArray();
        var scale = new PixelColorScale(ids.DefaultIfEmpty().Min(), ids.DefaultIfEmpty().Max());
        var anyValid = false;
        for (var p = 0; p < pixels; p++)
        {
            var y = Array.ConvertAll(values[(p * x.Length)..((p + 1) * x.Length)], v => (double)v);
            anyValid |= y.Any(double.IsFinite);
            var line = plot.Add.ScatterLine(x, y, legend ? palette.GetColor(p) : scale.ColorOf(ids[p]));
            line.LineWidth = legend ? 1.5f : 1f;
            line.LegendText = legend ? $"pixel {ids[p]}" : string.Empty;
        }

        if (!anyValid)
        {
            QualityPlotStyle.MarkEmpty(plot, "channels");
        }
        else if (legend)
        {
            plot.ShowLegend(Edge.Right);
        }
        else
        {
            QualityPlotStyle.ColorBar(plot, scale, "pixel id");
        }

        return plot;
    }
}

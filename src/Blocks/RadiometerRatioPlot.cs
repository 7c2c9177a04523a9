using System.Globalization;
using Scanflow.Engine.Quality;
using ScottPlot;

namespace Scanflow.Blocks;

/// <summary>The array map of the radiometer ratio: one bar per pixel id, red where the pixel is suspect, the suspect
/// threshold drawn across and the ideal 1 beneath it; a pixel without a valid dump is marked, not drawn as 0.</summary>
internal static class RadiometerRatioPlot
{
    private static readonly Color Healthy = Colors.SteelBlue;
    private static readonly Color Suspect = Colors.Crimson;

    public static Plot Draw(ScanQuality quality)
    {
        var suspects = quality.Pixels.Count(p => p.Suspect);
        var what = string.Create(CultureInfo.InvariantCulture, $"radiometer ratio per pixel, {suspects} suspect");
        var plot = QualityPlotStyle.Create(quality, what, "pixel id", "radiometer ratio (measured / predicted noise)");
        var bars = new List<Bar>();
        foreach (var pixel in quality.Pixels)
        {
            if (double.IsFinite(pixel.RadiometerRatio))
            {
                bars.Add(new Bar { Position = pixel.PixelId, Value = pixel.RadiometerRatio, FillColor = pixel.Suspect ? Suspect : Healthy, Size = 0.8 });
            }
            else
            {
                var missing = plot.Add.Text("no data", pixel.PixelId, 0.05);
                missing.LabelRotation = -90;
                missing.LabelFontSize = 12;
                missing.LabelFontName = QualityPlotStyle.SansFamily;
                missing.LabelFontColor = Colors.Gray;
                missing.LabelAlignment = Alignment.MiddleLeft;
            }
        }

        plot.Add.Bars(bars);
        var threshold = plot.Add.HorizontalLine(quality.SuspectRadiometerRatio, 2, Suspect, LinePattern.Dashed);
        var ideal = plot.Add.HorizontalLine(1, 1, Colors.Gray, LinePattern.Dotted);
        var highest = quality.Pixels.Select(p => p.RadiometerRatio).Where(double.IsFinite).DefaultIfEmpty(0).Max();
        plot.Axes.SetLimitsY(0, Math.Max(highest, quality.SuspectRadiometerRatio) * 1.15);
        if (quality.Pixels.Count > 0)
        {
            plot.Axes.SetLimitsX(quality.Pixels.Min(p => p.PixelId) - 1, quality.Pixels.Max(p => p.PixelId) + 1);
        }

        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "healthy", FillColor = Healthy });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "suspect", FillColor = Suspect });
        plot.Legend.ManualItems.Add(new LegendItem
        {
            LabelText = string.Create(CultureInfo.InvariantCulture, $"suspect above {quality.SuspectRadiometerRatio:0.##}"),
            LineColor = threshold.LineColor,
            LinePattern = LinePattern.Dashed,
            LineWidth = 2,
        });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "ideal (1)", LineColor = ideal.LineColor, LinePattern = LinePattern.Dotted, LineWidth = 1 });
        QualityPlotStyle.LegendBelow(plot);
        return plot;
    }
}

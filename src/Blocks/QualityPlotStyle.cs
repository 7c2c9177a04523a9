using System.Globalization;
using Scanflow.Engine.Model;
using Scanflow.Engine.Quality;
using ScottPlot;
using SkiaSharp;

namespace Scanflow.Blocks;

/// <summary>What the five quality plots of a scan share: their size, their titles and their lettering, so the report
/// shows them as one set.</summary>
internal static class QualityPlotStyle
{
    public const int Width = 1000;

    public const int Height = 600;

    /// <summary>ScottPlot's font detection settles on DejaVu Serif on Debian (and fontconfig's sans-serif with it); a sans
    /// face reads better in plots, so the first one installed is asked for by name.</summary>
    public static readonly string SansFamily =
        new[] { "DejaVu Sans", "Liberation Sans", "Noto Sans", "Arial", "Helvetica" }
            .FirstOrDefault(SKFontManager.Default.GetFontFamilies().Contains) ?? Fonts.Default;

    /// <summary>A plot titled with the scan, band and source, its axes labelled with units.</summary>
    public static Plot Create(ScanQuality quality, string what, string xLabel, string yLabel)
    {
        var plot = new Plot();
        plot.Title(Title(quality, what), size: 18);
        plot.XLabel(xLabel, size: 15);
        plot.YLabel(yLabel, size: 15);
        // FontStyler.Set would drop the bold of the title and axis labels; naming the face on each keeps it.
        plot.Axes.Title.Label.FontName = SansFamily;
        plot.Axes.Bottom.Label.FontName = SansFamily;
        plot.Axes.Left.Label.FontName = SansFamily;
        plot.Axes.Bottom.TickLabelStyle.FontName = SansFamily;
        plot.Axes.Left.TickLabelStyle.FontName = SansFamily;
        plot.Axes.Right.Label.FontName = SansFamily;
        plot.Axes.Right.TickLabelStyle.FontName = SansFamily;
        plot.Legend.FontName = SansFamily;
        plot.Axes.Bottom.TickLabelStyle.FontSize = 13;
        plot.Axes.Left.TickLabelStyle.FontSize = 13;
        return plot;
    }

    public static string Title(ScanQuality quality, string what) =>
        string.Create(CultureInfo.InvariantCulture, $"Scan {quality.ScanId:D6} {ModelNames.Of(quality.Band)} · {quality.Source} · {what}");

    /// <summary>A colour bar on the right edge, labelled in the plot's face.</summary>
    public static void ColorBar(Plot plot, IHasColorAxis source, string label)
    {
        var bar = plot.Add.ColorBar(source);
        bar.Label = label;
        bar.LabelStyle.FontName = SansFamily;
        bar.LabelStyle.FontSize = 15;
        bar.Axis.TickLabelStyle.FontName = SansFamily;
        bar.Axis.TickLabelStyle.FontSize = 13;
    }

    /// <summary>A legend in one row under the plot, where it never hides data.</summary>
    public static void LegendBelow(Plot plot)
    {
        plot.ShowLegend(Edge.Bottom);
        plot.Legend.Orientation = Orientation.Horizontal;
        plot.Legend.FontSize = 13;
    }

    /// <summary>Says so on the plot when nothing in it is valid, rather than leaving an empty frame to guess at.</summary>
    public static void MarkEmpty(Plot plot, string what)
    {
        var note = plot.Add.Annotation($"no valid {what}", Alignment.MiddleCenter);
        note.LabelFontSize = 20;
        note.LabelFontName = SansFamily;
    }
}

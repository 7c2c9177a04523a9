using Scanflow.Engine.Quality;
using ScottPlot;

namespace Scanflow.Blocks;

/// <summary>The dump × channel waterfall of the array-mean T_A*: frequency across, dump index up, colour in K. Cells with
/// nothing valid are transparent (the plot's background shows), never a colour that reads as a value.</summary>
internal static class WaterfallPlot
{
    /// <summary>Percentiles the colour scale spans, so one spur does not wash out the rest of the scan.</summary>
    private const double LowPercentile = 0.01;
    private const double HighPercentile = 0.99;

    public static Plot Draw(ScanQuality quality)
    {
        var columns = quality.WaterfallColumns;
        if (columns < 1 || quality.WaterfallFrequencyGHz.Length != columns || quality.Waterfall.Length % columns != 0)
        {
            throw new ArgumentException(
                $"waterfall: {quality.Waterfall.Length} values in {columns} columns with {quality.WaterfallFrequencyGHz.Length} frequencies");
        }

        var rows = quality.Waterfall.Length / columns;
        var plot = QualityPlotStyle.Create(quality, "waterfall of the array-mean T_A*", "sky frequency (GHz)", "dump (ON, in time order)");
        var frequency = quality.WaterfallFrequencyGHz;
        // Columns go left to right in rising frequency whatever the sideband; rows go up in time (ScottPlot's row 0 is the top).
        var descending = columns > 1 && frequency[^1] < frequency[0];
        var intensities = new double[rows, columns];
        for (var row = 0; row < rows; row++)
        {
            for (var column = 0; column < columns; column++)
            {
                var source = descending ? columns - 1 - column : column;
                intensities[rows - 1 - row, column] = quality.Waterfall[(row * columns) + source];
            }
        }

        var finite = quality.Waterfall.Where(float.IsFinite).ToArray();
        if (finite.Length == 0)
        {
            QualityPlotStyle.MarkEmpty(plot, "cells");
            return plot;
        }

        var low = frequency.Min();
        var high = frequency.Max();
        var halfCell = columns > 1 ? (high - low) / (columns - 1) / 2 : 0.5;
        var heatmap = plot.Add.Heatmap(intensities);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        heatmap.NaNCellColor = Colors.Transparent;
        // Rows are runs of consecutive dumps (one per dump in a scan of up to 256): the axis counts dumps.
        heatmap.Extent = new CoordinateRect(low - halfCell, high + halfCell, -0.5, Math.Max(rows, quality.Dumps) - 0.5);
        heatmap.ManualRange = ColourRange(finite);
        QualityPlotStyle.ColorBar(plot, heatmap, "T_A* (K)");
        plot.Axes.Margins(0, 0);
        return plot;
    }

    private static ScottPlot.Range ColourRange(float[] finite)
    {
        Array.Sort(finite);
        double low = finite[(int)(LowPercentile * (finite.Length - 1))];
        double high = finite[(int)(HighPercentile * (finite.Length - 1))];
        return high > low ? new(low, high) : new(low - 0.5, low + 0.5);
    }
}

using System.Globalization;
using Scanflow.Engine.Quality;
using ScottPlot;

namespace Scanflow.Blocks;

/// <summary>The PWV fit: the sky temperature measured in each bin of channels against the atmosphere model at the
/// fitted PWV, with the PWV, its error and the fit's RMS in the title. Bins with no good channel are left out.</summary>
internal static class PwvFitPlot
{
    public static Plot Draw(ScanQuality quality)
    {
        var bins = quality.FitFrequencyGHz.Length;
        if (quality.FitMeasuredSkyK.Length != bins || quality.FitModelSkyK.Length != bins)
        {
            throw new ArgumentException(
                $"pwvfit: {bins} bins, {quality.FitMeasuredSkyK.Length} measured and {quality.FitModelSkyK.Length} model values");
        }

        var what = quality.AtmosphereFitStatus == "ok" && double.IsFinite(quality.PwvMm)
            ? string.Create(CultureInfo.InvariantCulture,
                $"PWV {quality.PwvMm:0.00} ± {quality.PwvErrorMm:0.00} mm, fit RMS {quality.AtmosphereFitRmsK:0.00} K")
            : $"PWV fit {quality.AtmosphereFitStatus}";
        var plot = QualityPlotStyle.Create(quality, what, "sky frequency (GHz)", "sky temperature (K)");
        var measured = plot.Add.ScatterPoints(quality.FitFrequencyGHz, quality.FitMeasuredSkyK, Colors.Black);
        measured.MarkerSize = 5;
        measured.LegendText = "measured (mean over good pixels)";
        var model = plot.Add.ScatterLine(quality.FitFrequencyGHz, quality.FitModelSkyK, Colors.OrangeRed);
        model.LineWidth = 2;
        model.LegendText = "model at the fitted PWV";
        if (!quality.FitMeasuredSkyK.Any(double.IsFinite) && !quality.FitModelSkyK.Any(double.IsFinite))
        {
            QualityPlotStyle.MarkEmpty(plot, "bins");
        }
        else
        {
            QualityPlotStyle.LegendBelow(plot);
        }

        return plot;
    }
}

using Scanflow.Engine.Model;

namespace Scanflow.Engine.Quality;

/// <summary>What a person looks at to judge one calibrated science scan: the QA metrics of <c>qa.json</c> (docs/formats.md)
/// and the data behind its plots, gathered while the scan is calibrated (no second pass over it).</summary>
internal sealed record ScanQuality
{
    public required long ScanId { get; init; }

    public required Band Band { get; init; }

    public required ObsMode Mode { get; init; }

    public required string Source { get; init; }

    /// <summary>The calibration scans used: [C₁] or [C₁, C₂].</summary>
    public required IReadOnlyList<long> CalibrationScanIds { get; init; }

    public required double PwvMm { get; init; }

    public required double PwvErrorMm { get; init; }

    public required double AtmosphereFitRmsK { get; init; }

    /// <summary><c>ok</c> or <c>failed</c>.</summary>
    public required string AtmosphereFitStatus { get; init; }

    public required double MeanAirmass { get; init; }

    public required double MinAirmass { get; init; }

    public required double MaxAirmass { get; init; }

    public required int Dumps { get; init; }

    /// <summary>ON dumps with <c>dump_flag</c> bit 0 (OFF extrapolated), bit 1 (elevation below 15°), and bit 2 (invalid
    /// counts) on at least one pixel.</summary>
    public required int[] DumpsFlaggedByBit { get; init; }

    /// <summary>Fraction of the pixel × channel cells with <c>channel_flag</c> bit 0, 1 and 2, and with any bit.</summary>
    public required double[] ChannelFractionFlaggedByBit { get; init; }

    public required double ChannelFractionFlagged { get; init; }

    /// <summary>The radiometer ratio above which a pixel is suspect.</summary>
    public required double SuspectRadiometerRatio { get; init; }

    public required IReadOnlyList<PixelQuality> Pixels { get; init; }

    /// <summary>The largest finite per-pixel radiometer ratio; NaN when no pixel has one.</summary>
    public double WorstRadiometerRatio => Pixels.Select(p => p.RadiometerRatio).Where(double.IsFinite).DefaultIfEmpty(double.NaN).Max();

    /// <summary>Points per pixel line of the T_sys and mean T_A* plots: twice a plot's width in pixels (1,000), so
    /// thinning never shows and 64 pixels × 65,536 channels still draw in milliseconds.</summary>
    public const int MaxLinePoints = 2000;

    /// <summary>[bins] sky frequency of each bin of the pixel lines (at most <see cref="MaxLinePoints"/> bins of equal
    /// runs of channels), GHz.</summary>
    public required double[] LineFrequencyGHz { get; init; }

    /// <summary>[n_pix × bins] T_sys averaged over each bin's unflagged channels, K; NaN where the whole bin is flagged.</summary>
    public required float[] SystemTemperatureLines { get; init; }

    /// <summary>[n_pix × bins] T_A* averaged over the dumps that have it and the bin's channels that have it, K; NaN where
    /// none does.</summary>
    public required float[] MeanTaStarLines { get; init; }

    /// <summary>[rows × <see cref="WaterfallColumns"/>] the array-mean T_A*, K, averaged over runs of consecutive dumps (one
    /// per dump up to 256 dumps, then 256 equal runs; a plot shows no more) and channel bins; NaN where nothing in the cell is valid.</summary>
    public required float[] Waterfall { get; init; }

    public required int WaterfallColumns { get; init; }

    /// <summary>[<see cref="WaterfallColumns"/>] the centre frequency of each waterfall column, GHz.</summary>
    public required double[] WaterfallFrequencyGHz { get; init; }

    /// <summary>The PWV fit in bins of channels (at most 256): centre frequency (GHz), measured sky temperature averaged
    /// over the good pixels (K), and the model at the fitted PWV and the calibration's airmass (K); NaN where a bin has no
    /// good channel.</summary>
    public required double[] FitFrequencyGHz { get; init; }

    public required double[] FitMeasuredSkyK { get; init; }

    public required double[] FitModelSkyK { get; init; }
}

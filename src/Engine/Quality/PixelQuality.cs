namespace Scanflow.Engine.Quality;

/// <summary>The QA metrics of one pixel of a science scan (docs/formats.md, <c>qa.json</c>).</summary>
/// <param name="PixelId">The raw <c>/pixel_ids</c> entry.</param>
/// <param name="MedianSystemTemperatureK">Median T_sys over unflagged channels, K; NaN when all are flagged.</param>
/// <param name="MedianReceiverTemperatureK">Median T_rx over unflagged channels, K; NaN when all are flagged.</param>
/// <param name="FlaggedChannelFraction">Fraction of the pixel's channels with any <c>channel_flag</c> bit.</param>
/// <param name="RadiometerRatio">The noise measured in T_A* from differences of adjacent channels (RMS/√2), median over
/// dumps, over σ_pred of calibration.md §7.8; ≈ 1 for healthy data, NaN when the pixel has no valid dump.</param>
/// <param name="Suspect">The ratio exceeds the suspect threshold.</param>
internal sealed record PixelQuality(
    int PixelId, double MedianSystemTemperatureK, double MedianReceiverTemperatureK, double FlaggedChannelFraction, double RadiometerRatio, bool Suspect);

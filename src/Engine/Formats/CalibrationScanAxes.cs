namespace Scanflow.Engine.Formats;

/// <summary>What a science scan must share with its calibration scan (calibration.md §7.6): the header (band, LO,
/// sideband), the channel frequencies and the pixel ids; and the mean MJD of its sky dumps, where gain interpolation places
/// it (§7.10). Kept with the solved calibration instead of the averaged loads.</summary>
internal sealed record CalibrationScanAxes(RawScanHeader Header, double[] IntermediateFrequencyHz, int[] PixelIds, double SkyMeanMjd);

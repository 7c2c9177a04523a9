namespace Scanflow.Host.Report;

/// <summary>One <c>pixels[]</c> entry of a scan's <c>qa.json</c>.</summary>
internal sealed record PixelQuality(long PixelId, double? TsysMedianK, double? TrxMedianK, double? FlaggedChannelFraction, double? RadiometerRatio, bool Suspect);

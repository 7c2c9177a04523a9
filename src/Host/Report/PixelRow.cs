namespace Scanflow.Host.Report;

/// <summary>One row of a scan page's per-pixel QA table, as text.</summary>
internal sealed record PixelRow(string PixelId, string TsysK, string TrxK, string FlaggedFraction, string RadiometerRatio, bool Suspect);

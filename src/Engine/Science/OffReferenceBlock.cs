namespace Scanflow.Engine.Science;

/// <summary>One OFF reference: the raw OFF dump indices it averages (in time order) and its mean MJD (calibration.md §7.2).</summary>
internal sealed record OffReferenceBlock(int[] OffDumpIndices, double MeanMjd);

using Scanflow.Engine.Model;

namespace Scanflow.Blocks;

/// <summary>One claimed science scan in a <see cref="SlurmPlan"/>: what a compute node needs to rebuild its
/// <see cref="Engine.Planning.PlannedScan"/> from the files' headers and calibrate it as the local graph would. Paths are
/// stored verbatim, as the coordinator planned them.</summary>
internal sealed record SlurmPlanScan
{
    /// <summary>The science scan's id, so a result (and a log line) names the scan even when its file cannot be read.</summary>
    public required long ScanId { get; init; }

    /// <summary>The science scan's band, for the same reason.</summary>
    public required Band Band { get; init; }

    /// <summary>The raw science file.</summary>
    public required string ScienceFile { get; init; }

    /// <summary>The calibration files in <see cref="Engine.Planning.PlannedScan.Calibrations"/> order: C₁, then C₂ when
    /// gain interpolation has a later calibration.</summary>
    public required IReadOnlyList<string> CalibrationFiles { get; init; }

    /// <summary><see cref="Engine.Planning.PlannedScan.GainInterpolationNote"/>: why C₂ is missing, when it is.</summary>
    public string? GainInterpolationNote { get; init; }

    /// <summary>SHA-256 of the science file, taken when the coordinator claimed the scan.</summary>
    public required string InputSha256 { get; init; }

    /// <summary>SHA-256 of each calibration file, in <see cref="CalibrationFiles"/> order.</summary>
    public required IReadOnlyList<string> CalibrationSha256 { get; init; }

    /// <summary>The ledger's attempt number for this claim; results carry it back, and a requeued task skips scans that
    /// already have a result of this attempt.</summary>
    public required int Attempt { get; init; }

    /// <summary>The entry for a job the coordinator claimed as attempt <paramref name="attempt"/>.</summary>
    public static SlurmPlanScan Of(ScanJob job, int attempt) => new()
    {
        ScanId = job.Scan.Science.ScanId,
        Band = job.Scan.Science.Band,
        ScienceFile = job.Scan.Science.FilePath,
        CalibrationFiles = [.. job.Scan.Calibrations.Select(c => c.FilePath)],
        GainInterpolationNote = job.Scan.GainInterpolationNote,
        InputSha256 = job.InputSha256,
        CalibrationSha256 = [.. job.CalibrationSha256],
        Attempt = attempt,
    };
}

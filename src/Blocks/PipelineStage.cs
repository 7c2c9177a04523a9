namespace Scanflow.Blocks;

/// <summary>The stages of the graph, in flow order (docs/architecture.md). Adding one: a member here, its name and
/// default in <see cref="PipelineStages"/>, its block in <see cref="CalibrationGraph"/>, its line in the docs.</summary>
public enum PipelineStage
{
    /// <summary>Reads the calibration loads (cached per calibration scan), opens the science scan and reads its ON dumps chunk by chunk.</summary>
    Load,

    /// <summary>Solves T_rx, gains and flags of the calibration scan (cached).</summary>
    Calibrate,

    /// <summary>Fits the PWV (cached) and applies the calibration at the scan's mean ON airmass, with the OFF interpolation plan and dump flags.</summary>
    Atmosphere,

    /// <summary>Turns each chunk of ON counts into T_A*: OFF reference, kernel, airmass correction; the parallel, CPU-bound stage.</summary>
    Prepare,

    /// <summary>Appends chunks to the L1 product (a temporary file), then syncs, renames and checksums it.</summary>
    Write,

    /// <summary>Reports each scan's outcome to the caller, once.</summary>
    Record,
}

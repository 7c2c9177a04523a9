namespace Scanflow.Engine.Science;

/// <summary>The L1 attribute <c>atm_fit_status</c>: <c>ok</c> or <c>failed</c> (calibration.md §7.5).</summary>
public enum AtmosphereFitStatus
{
    /// <summary>The PWV fit passed its checks; its PWV calibrates the science scans.</summary>
    Ok,

    /// <summary>The fit failed its checks (no usable bins, PWV at a bound, residual too large, too few bins; see
    /// <see cref="AtmosphereFitResult.FailureReason"/>): science scans use the last good PWV of the band where one is known.</summary>
    Failed,
}

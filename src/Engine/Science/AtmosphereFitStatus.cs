namespace Scanflow.Engine.Science;

/// <summary>The L1 attribute <c>atm_fit_status</c>: <c>ok</c> or <c>failed</c> (calibration.md §7.5).</summary>
public enum AtmosphereFitStatus
{
    Ok,
    Failed,
}

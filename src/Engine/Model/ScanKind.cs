namespace Scanflow.Engine.Model;

/// <summary>A raw scan is either a calibration (hot, cold, sky loads) or a science scan (OFF and ON dumps).</summary>
public enum ScanKind
{
    /// <summary>Hot, cold and sky loads, from which T_rx, the gains and the PWV are solved (<c>cal</c>).</summary>
    Calibration,

    /// <summary>OFF and ON dumps to be calibrated to T_A* (<c>science</c>).</summary>
    Science,
}

namespace Scanflow.Engine.Model;

/// <summary>A raw scan is either a calibration (hot, cold, sky loads) or a science scan (OFF and ON dumps).</summary>
public enum ScanKind
{
    Calibration,
    Science,
}

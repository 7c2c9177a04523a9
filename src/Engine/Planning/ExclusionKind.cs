namespace Scanflow.Engine.Planning;

/// <summary>Why a file or science scan is left out of a plan.</summary>
public enum ExclusionKind
{
    /// <summary>Counts as a failure: an unreadable file or directory, a duplicate scan id, or no usable calibration.</summary>
    Failed,

    /// <summary>Filtered out by the selection (<c>--select</c>); not a failure.</summary>
    NotSelected,
}

using Scanflow.Engine.Formats;

namespace Scanflow.Blocks;

/// <summary>A block of ON counts of one scan travelling through the graph. The buffer holds counts after Load and
/// T_A* after Prepare (in place). Every scan ends with exactly one envelope marked <see cref="IsLast"/>, also when it
/// failed or was cancelled, so Write and Record see every scan finish.</summary>
internal sealed class ChunkEnvelope(ScanState scan, CountsBlock block, float[]? buffer, bool isLast)
{
    public ScanState Scan { get; } = scan;

    /// <summary>The dumps and pixels the chunk holds; empty in the closing envelope of a scan that stopped early.</summary>
    public CountsBlock Block { get; } = block;

    /// <summary>The scan's first chunk: the calibration is applied when it passes.</summary>
    public bool IsFirst => Block is { FirstDump: 0, FirstPixel: 0 };

    public float[]? Buffer { get; set; } = buffer;

    public bool IsLast { get; } = isLast;

    /// <summary>Completes when Write has finished with this chunk (used when prefetch is off).</summary>
    public TaskCompletionSource Written { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

namespace Scanflow.Blocks;

/// <summary>A block of ON dumps of one scan travelling through the graph. The buffer holds counts after Load and
/// T_A* after Prepare (in place). Every scan ends with exactly one envelope marked <see cref="IsLast"/>, also when it
/// failed or was cancelled, so Write and Record see every scan finish.</summary>
internal sealed class ChunkEnvelope(ScanState scan, int firstDump, int dumpCount, float[]? buffer, bool isLast)
{
    public ScanState Scan { get; } = scan;

    public int FirstDump { get; } = firstDump;

    public int DumpCount { get; } = dumpCount;

    public float[]? Buffer { get; set; } = buffer;

    public bool IsLast { get; } = isLast;

    /// <summary>Completes when Write has finished with this chunk (used when prefetch is off).</summary>
    public TaskCompletionSource Written { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

using System.Runtime;

namespace Scanflow.Blocks;

/// <summary>Collects at once the arrays a calibration or a scan lets go when there are hundreds of MiB of them (CHAI's
/// full shape), so the allocations that follow reuse that memory instead of the heap growing by it, and the peak does
/// not depend on when the runtime would have collected on its own (docs/performance.md). Smaller shapes are left to it.</summary>
internal static class LargeArrays
{
    /// <summary>Pixel × channel values from which a scan's or a calibration's arrays exceed ~50 MiB (a quarter of
    /// CHAI's 64 × 65,536).</summary>
    public const long Values = 1L << 20;

    /// <summary>Called once arrays of <paramref name="pixels"/> × <paramref name="channels"/> values became garbage.</summary>
    public static void Released(int pixels, int channels)
    {
        if ((long)pixels * channels >= Values)
        {
            GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        }
    }
}

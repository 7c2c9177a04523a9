using Scanflow.Engine.Formats;

namespace Scanflow.Engine.Processing;

/// <summary>How a science scan is cut into blocks of ON dumps, for the graph and the library path alike.</summary>
internal static class ScanChunking
{
    /// <summary>Default chunk: 16 MiB of ON counts (at least one dump); memory in flight scales with it.</summary>
    public const long DefaultChunkBytes = 16L << 20;

    /// <summary>Dumps per chunk of about <paramref name="chunkBytes"/> of counts: at least one, at most the scan.</summary>
    public static int DumpsPerChunk(RawScanHeader header, long chunkBytes)
    {
        ArgumentNullException.ThrowIfNull(header);
        return (int)Math.Clamp(chunkBytes / header.DumpBytes, 1, Math.Max(1, header.OnDumps));
    }
}

namespace Scanflow.Engine.Formats;

/// <summary>Chunk-cache size for a compressed counts dataset: room for a few dumps, so a chunk is never decompressed more
/// than once, without letting a 16 MiB-per-dump scan claim unbounded memory. The binding uses it only for filtered
/// datasets; unfiltered chunks are read with no cache, straight into the caller's block (docs/performance.md).</summary>
internal static class ChunkCache
{
    private const long Minimum = 4L << 20;
    private const long Maximum = 256L << 20;

    public static long BytesFor(RawScanHeader header) => Math.Clamp(4 * header.DumpBytes, Minimum, Maximum);
}

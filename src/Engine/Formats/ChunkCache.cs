namespace Scanflow.Engine.Formats;

/// <summary>Chunk-cache size for a counts dataset: room for a few dumps, so a chunked or compressed file is never
/// decompressed more than once per chunk, without letting a 16 MiB-per-dump scan claim unbounded memory.</summary>
internal static class ChunkCache
{
    private const long Minimum = 4L << 20;
    private const long Maximum = 256L << 20;

    public static long BytesFor(RawScanHeader header) => Math.Clamp(4 * header.DumpBytes, Minimum, Maximum);
}

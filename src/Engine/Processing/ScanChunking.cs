using Scanflow.Engine.Formats;

namespace Scanflow.Engine.Processing;

/// <summary>How a science scan is cut into blocks of ON counts, for the graph and the library path alike: whole dumps
/// when a dump fits the chunk size, otherwise each dump in groups of pixel rows, so a block never exceeds the chunk
/// size by more than one pixel row and stays in the CPU's cache from read to write.</summary>
internal static class ScanChunking
{
    /// <summary>Default chunk: 1 MiB of ON counts (at least one pixel row). Larger chunks leave the cache between
    /// read, calibration and write and cost more CPU (docs/performance.md); memory in flight scales with it.</summary>
    public const long DefaultChunkBytes = 1L << 20;

    /// <summary>The blocks of the scan in order, each about <paramref name="chunkBytes"/> of counts or less.</summary>
    public static IEnumerable<CountsBlock> Blocks(RawScanHeader header, long chunkBytes)
    {
        ArgumentNullException.ThrowIfNull(header);
        var (dumps, pixels) = Shape(header, chunkBytes);
        for (var d = 0; d < header.OnDumps; d += dumps)
        {
            for (var p = 0; p < header.Pixels; p += pixels)
            {
                yield return new CountsBlock(d, Math.Min(dumps, header.OnDumps - d), p, Math.Min(pixels, header.Pixels - p));
            }
        }
    }

    /// <summary>Values in the largest block: the buffer every block fits in.</summary>
    public static int BlockLength(RawScanHeader header, long chunkBytes)
    {
        ArgumentNullException.ThrowIfNull(header);
        var (dumps, pixels) = Shape(header, chunkBytes);
        return dumps * pixels * header.Channels;
    }

    /// <summary>Dumps and pixels per block: whole dumps when one fits, else one dump in groups of pixel rows.</summary>
    private static (int Dumps, int Pixels) Shape(RawScanHeader header, long chunkBytes) =>
        header.DumpBytes <= chunkBytes
            ? ((int)Math.Clamp(chunkBytes / header.DumpBytes, 1, Math.Max(1, header.OnDumps)), header.Pixels)
            : (1, (int)Math.Clamp(chunkBytes / ((long)header.Channels * sizeof(float)), 1, header.Pixels));
}

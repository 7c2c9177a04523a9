namespace Scanflow.Engine.Formats.Hdf5;

/// <summary>How a new dataset is laid out in the file: contiguous, or chunked with optional shuffle and gzip.</summary>
/// <param name="ChunkDimensions">Chunk shape (same rank as the dataset), or null for contiguous storage.</param>
/// <param name="GzipLevel">Deflate level 1–9, 0 for none; needs chunks.</param>
/// <param name="Shuffle">Byte-shuffle before compression; needs chunks.</param>
/// <param name="NoFill">Every element will be written, so new chunks are not filled first. Unfiltered, a write that
/// covers part of a chunk not yet in the file otherwise goes through a chunk-sized buffer HDF5 fills and writes whole.</param>
internal sealed record Hdf5Storage(long[]? ChunkDimensions = null, int GzipLevel = 0, bool Shuffle = false, bool NoFill = false)
{
    public static Hdf5Storage Contiguous { get; } = new();

    public static Hdf5Storage Chunked(params long[] chunkDimensions) => new(chunkDimensions);

    public static Hdf5Storage Gzip(long[] chunkDimensions, int level = 4, bool shuffle = true) =>
        new(chunkDimensions, level, shuffle);
}

using static Scanflow.Engine.Formats.Hdf5.NativeMethods;

namespace Scanflow.Engine.Formats.Hdf5;

/// <summary>How a dataset is stored (chunk shape, filters, element type) and the property lists that set it up.</summary>
internal sealed unsafe record Hdf5DatasetLayout(long[]? ChunkDimensions, bool Filtered, Hdf5ElementKind ElementKind, long ElementSize)
{
    /// <summary>H5D_FILL_TIME_NEVER: new chunks are not filled before they are written.</summary>
    private const int FillTimeNever = 1;

    /// <summary>Bytes of one uncompressed chunk, or 0 for unchunked storage.</summary>
    internal long ChunkBytes
    {
        get
        {
            if (ChunkDimensions is null)
            {
                return 0;
            }

            long bytes = ElementSize;
            foreach (var extent in ChunkDimensions)
            {
                bytes *= extent;
            }

            return bytes;
        }
    }

    internal static Hdf5DatasetLayout Of(Hdf5Handle dataset, Hdf5CallSite site)
    {
        using var creation = site.Open(H5Dget_create_plist(dataset.Id), Hdf5HandleKind.PropertyList, "H5Dget_create_plist");
        long[]? chunks = null;
        bool filtered = false;
        if (site.Check(H5Pget_layout(creation.Id), "H5Pget_layout") == H5D_CHUNKED)
        {
            ulong* extent = stackalloc ulong[H5S_MAX_RANK];
            int rank = site.Check(H5Pget_chunk(creation.Id, H5S_MAX_RANK, extent), "H5Pget_chunk");
            chunks = new long[rank];
            for (int i = 0; i < rank; i++)
            {
                chunks[i] = checked((long)extent[i]);
            }

            filtered = site.Check(H5Pget_nfilters(creation.Id), "H5Pget_nfilters") > 0;
        }

        using var type = site.Open(H5Dget_type(dataset.Id), Hdf5HandleKind.Datatype, "H5Dget_type");
        int typeClass = site.Check(H5Tget_class(type.Id), "H5Tget_class");
        long size = (long)H5Tget_size(type.Id);
        bool signed = typeClass == H5T_INTEGER && site.Check(H5Tget_sign(type.Id), "H5Tget_sign") != H5T_SGN_NONE;
        return new Hdf5DatasetLayout(chunks, filtered, KindOf(typeClass, size, signed), size);
    }

    /// <summary>
    /// The chunk cache to open a dataset with, or null for HDF5's default (1 MiB). An unfiltered chunked dataset gets
    /// none: HDF5 1.10 then moves each selection straight between the file and the caller's buffer, whereas a cache
    /// that can hold a chunk routes every byte through it (an extra copy, and a chunk-sized buffer per chunk), costing
    /// a fifth of block-read speed from the page cache (docs/performance.md). A filtered dataset gets <paramref name="requestedBytes"/>
    /// if positive, so a chunk is decompressed once rather than once per block that touches it.
    /// </summary>
    internal static long? ChunkCacheBytes(bool chunked, bool filtered, long requestedBytes) => (chunked, filtered) switch
    {
        (false, _) => null,
        (true, false) => 0,
        (true, true) => requestedBytes > 0 ? requestedBytes : null,
    };

    /// <summary>The dataset creation property list for <paramref name="storage"/>: chunks, then shuffle before deflate.</summary>
    internal static Hdf5Handle CreationList(Hdf5Storage storage, Hdf5CallSite site)
    {
        var list = site.Open(H5Pcreate(Hdf5NativeTypes.DatasetCreateClass), Hdf5HandleKind.PropertyList, "H5Pcreate");
        try
        {
            if (storage.ChunkDimensions is { } chunks)
            {
                ulong* extent = stackalloc ulong[chunks.Length];
                for (int i = 0; i < chunks.Length; i++)
                {
                    extent[i] = (ulong)chunks[i];
                }

                site.Check(H5Pset_chunk(list.Id, chunks.Length, extent), "H5Pset_chunk");
                if (storage.Shuffle)
                {
                    // Filter order matters: shuffling groups the bytes that deflate then compresses well.
                    site.Check(H5Pset_shuffle(list.Id), "H5Pset_shuffle");
                }

                if (storage.GzipLevel > 0)
                {
                    site.Check(H5Pset_deflate(list.Id, (uint)storage.GzipLevel), "H5Pset_deflate");
                }
            }

            if (storage.NoFill)
            {
                site.Check(H5Pset_fill_time(list.Id, FillTimeNever), "H5Pset_fill_time");
            }

            return list;
        }
        catch
        {
            list.Dispose();
            throw;
        }
    }

    /// <summary>A dataset access list with a chunk cache of <paramref name="cacheBytes"/>.</summary>
    internal static Hdf5Handle ChunkCacheList(long cacheBytes, long chunkBytes, Hdf5CallSite site)
    {
        // HDF5 advises a prime slot count well above the chunks that fit, to keep hash collisions rare;
        // w0 = 1 evicts fully read/written chunks first, which suits block-by-block streaming.
        long chunksFitting = Math.Max(1, cacheBytes / Math.Max(1, chunkBytes));
        long slots = NextPrime(12 * chunksFitting);
        var list = site.Open(H5Pcreate(Hdf5NativeTypes.DatasetAccessClass), Hdf5HandleKind.PropertyList, "H5Pcreate");
        try
        {
            site.Check(H5Pset_chunk_cache(list.Id, (nuint)slots, (nuint)cacheBytes, 1.0), "H5Pset_chunk_cache");
            return list;
        }
        catch
        {
            list.Dispose();
            throw;
        }
    }

    internal static long NextPrime(long atLeast)
    {
        for (long candidate = Math.Max(2, atLeast); ; candidate++)
        {
            if (IsPrime(candidate))
            {
                return candidate;
            }
        }
    }

    private static bool IsPrime(long value)
    {
        if (value < 4)
        {
            return value >= 2;
        }

        if (value % 2 == 0)
        {
            return false;
        }

        for (long divisor = 3; divisor * divisor <= value; divisor += 2)
        {
            if (value % divisor == 0)
            {
                return false;
            }
        }

        return true;
    }

    private static Hdf5ElementKind KindOf(int typeClass, long size, bool signed) => (typeClass, size, signed) switch
    {
        (H5T_FLOAT, 2, _) => Hdf5ElementKind.Float16,
        (H5T_FLOAT, 4, _) => Hdf5ElementKind.Float32,
        (H5T_FLOAT, 8, _) => Hdf5ElementKind.Float64,
        (H5T_INTEGER, 1, true) => Hdf5ElementKind.Int8,
        (H5T_INTEGER, 2, true) => Hdf5ElementKind.Int16,
        (H5T_INTEGER, 4, true) => Hdf5ElementKind.Int32,
        (H5T_INTEGER, 8, true) => Hdf5ElementKind.Int64,
        (H5T_INTEGER, 1, false) => Hdf5ElementKind.UInt8,
        (H5T_INTEGER, 2, false) => Hdf5ElementKind.UInt16,
        (H5T_INTEGER, 4, false) => Hdf5ElementKind.UInt32,
        (H5T_INTEGER, 8, false) => Hdf5ElementKind.UInt64,
        (H5T_STRING, _, _) => Hdf5ElementKind.String,
        _ => Hdf5ElementKind.Other,
    };
}

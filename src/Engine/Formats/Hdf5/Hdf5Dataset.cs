using static Scanflow.Engine.Formats.Hdf5.NativeMethods;

namespace Scanflow.Engine.Formats.Hdf5;

/// <summary>
/// An open dataset, read and written in hyperslab blocks straight between the caller's buffer and
/// the file. Not safe for concurrent use of one instance (it keeps its selection); open one per thread.
/// </summary>
internal sealed unsafe class Hdf5Dataset : Hdf5Object
{
    private const string ReadingDataset = "reading dataset";
    private const string WritingDataset = "writing dataset";

    // The file dataspace is fetched once; each Read/Write only re-selects a hyperslab in it.
    private readonly Hdf5Handle _fileSpace;
    private readonly long[] _dimensions;
    private readonly long[]? _chunkDimensions;

    // Callers read block after block of one shape, so one memory dataspace is kept for the last shape.
    private readonly ulong[] _memoryShape;
    private Hdf5Handle? _memorySpace;

    private Hdf5Dataset(Hdf5Handle handle, string filePath, string objectPath, Hdf5Handle fileSpace, long[] dimensions, Hdf5DatasetLayout layout)
        : base(handle, filePath, objectPath)
    {
        _fileSpace = fileSpace;
        _dimensions = dimensions;
        _chunkDimensions = layout.ChunkDimensions;
        _memoryShape = new ulong[dimensions.Length];
        ElementKind = layout.ElementKind;
        ElementSize = layout.ElementSize;
    }

    public long[] Dimensions => (long[])_dimensions.Clone();

    /// <summary>The chunk shape, or null when the dataset is contiguous or compact.</summary>
    public long[]? ChunkDimensions => (long[]?)_chunkDimensions?.Clone();

    public Hdf5ElementKind ElementKind { get; }

    /// <summary>Bytes per element as stored.</summary>
    public long ElementSize { get; }

    /// <summary>Bytes of chunk cache this open dataset actually has (HDF5's view, for tests and diagnostics).</summary>
    internal long ChunkCacheBytes
    {
        get
        {
            var site = new Hdf5CallSite("reading the access list of dataset", FilePath, ObjectPath);
            using var gate = Hdf5Gate.Enter();
            using var access = site.Open(H5Dget_access_plist(Handle.Id), Hdf5HandleKind.PropertyList, "H5Dget_access_plist");
            site.Check(H5Pget_chunk_cache(access.Id, out _, out var bytes, out _), "H5Pget_chunk_cache");
            return (long)bytes;
        }
    }

    /// <summary>
    /// Reads the block at <paramref name="start"/> of shape <paramref name="count"/> into <paramref name="destination"/>,
    /// which holds exactly product(count) elements in row-major order.
    /// </summary>
    public void Read<T>(Span<T> destination, ReadOnlySpan<long> start, ReadOnlySpan<long> count)
        where T : unmanaged
    {
        fixed (T* buffer = destination)
        {
            Transfer(buffer, destination.Length, start, count, write: false);
        }
    }

    /// <summary>Writes <paramref name="source"/> (product(count) elements, row-major) to the block at <paramref name="start"/>.</summary>
    public void Write<T>(ReadOnlySpan<T> source, ReadOnlySpan<long> start, ReadOnlySpan<long> count)
        where T : unmanaged
    {
        fixed (T* buffer = source)
        {
            Transfer(buffer, source.Length, start, count, write: true);
        }
    }

    /// <summary>Reads the whole dataset, converted by HDF5 to <typeparamref name="T"/>.</summary>
    public T[] ReadAll<T>()
        where T : unmanaged
    {
        long memoryType = Hdf5NativeTypes.Of<T>();
        long elements = 1;
        foreach (var dimension in _dimensions)
        {
            elements *= dimension;
        }

        if (elements > Array.MaxLength)
        {
            throw new NotSupportedException($"Dataset '{ObjectPath}' has {elements} elements, too many for one array; read it in blocks.");
        }

        var values = GC.AllocateUninitializedArray<T>((int)elements);
        if (elements == 0)
        {
            return values;
        }

        var site = new Hdf5CallSite(ReadingDataset, FilePath, ObjectPath);
        using var gate = Hdf5Gate.Enter();
        fixed (T* buffer = values)
        {
            site.Check(H5Dread(Handle.Id, memoryType, H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer), "H5Dread");
        }

        return values;
    }

    internal static Hdf5Dataset Open(Hdf5Group parent, string name, long chunkCacheBytes)
    {
        ArgumentNullException.ThrowIfNull(name);
        var path = Hdf5ObjectPath.Combine(parent.ObjectPath, name);
        var site = new Hdf5CallSite("opening dataset", parent.FilePath, path);
        using var gate = Hdf5Gate.Enter();
        var handle = site.Open(H5Dopen2(parent.Handle.Id, name, H5P_DEFAULT), Hdf5HandleKind.Dataset, "H5Dopen2");
        try
        {
            var layout = Hdf5DatasetLayout.Of(handle, site);
            if (Hdf5DatasetLayout.ChunkCacheBytes(layout.ChunkDimensions is not null, layout.Filtered, chunkCacheBytes) is { } cacheBytes)
            {
                // The chunk cache is fixed when a dataset is opened, and sizing it needs the chunk shape and filters: open
                // twice. HDF5 shares one dataset object among handles open at once and ignores a later open's access list,
                // so the first handle is closed before the second open (it also means a dataset already open elsewhere
                // in this process keeps the cache it was first opened with).
                using var access = Hdf5DatasetLayout.ChunkCacheList(cacheBytes, layout.ChunkBytes, site);
                handle.Dispose();
                handle = site.Open(H5Dopen2(parent.Handle.Id, name, access.Id), Hdf5HandleKind.Dataset, "H5Dopen2");
            }

            return FromHandle(handle, parent.FilePath, path, layout, site);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    internal static Hdf5Dataset Create<T>(Hdf5Group parent, string name, ReadOnlySpan<long> dimensions, Hdf5Storage storage, long chunkCacheBytes)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(storage);
        long elementType = Hdf5NativeTypes.Of<T>();
        ValidateShape(dimensions, storage);
        var path = Hdf5ObjectPath.Combine(parent.ObjectPath, name);
        var site = new Hdf5CallSite("creating dataset", parent.FilePath, path);

        int rank = dimensions.Length;
        ulong* shape = stackalloc ulong[rank];
        for (int i = 0; i < rank; i++)
        {
            shape[i] = (ulong)dimensions[i];
        }

        using var gate = Hdf5Gate.Enter();
        using var space = site.Open(H5Screate_simple(rank, shape, null), Hdf5HandleKind.Dataspace, "H5Screate_simple");
        using var creation = Hdf5DatasetLayout.CreationList(storage, site);
        using var linkCreation = Hdf5Group.CreateIntermediateGroupsList(site);
        Hdf5Handle? access = null;
        bool filtered = storage.GzipLevel > 0 || storage.Shuffle;
        if (storage.ChunkDimensions is { } chunks && Hdf5DatasetLayout.ChunkCacheBytes(chunked: true, filtered, chunkCacheBytes) is { } cacheBytes)
        {
            long chunkBytes = sizeof(T);
            foreach (var extent in chunks)
            {
                chunkBytes *= extent;
            }

            access = Hdf5DatasetLayout.ChunkCacheList(cacheBytes, chunkBytes, site);
        }

        using (access)
        {
            var handle = site.Open(
                H5Dcreate2(parent.Handle.Id, name, elementType, space.Id, linkCreation.Id, creation.Id, access?.Id ?? H5P_DEFAULT),
                Hdf5HandleKind.Dataset,
                "H5Dcreate2");
            try
            {
                return FromHandle(handle, parent.FilePath, path, Hdf5DatasetLayout.Of(handle, site), site);
            }
            catch
            {
                handle.Dispose();
                throw;
            }
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _memorySpace?.Dispose();
            _fileSpace.Dispose();
        }

        base.Dispose(disposing);
    }

    private static Hdf5Dataset FromHandle(Hdf5Handle handle, string filePath, string path, Hdf5DatasetLayout layout, Hdf5CallSite site)
    {
        var fileSpace = site.Open(H5Dget_space(handle.Id), Hdf5HandleKind.Dataspace, "H5Dget_space");
        try
        {
            int rank = site.Check(H5Sget_simple_extent_ndims(fileSpace.Id), "H5Sget_simple_extent_ndims");
            ulong* extent = stackalloc ulong[Math.Max(rank, 1)];
            site.Check(H5Sget_simple_extent_dims(fileSpace.Id, extent, null), "H5Sget_simple_extent_dims");
            var dimensions = new long[rank];
            for (int i = 0; i < rank; i++)
            {
                dimensions[i] = checked((long)extent[i]);
            }

            return new Hdf5Dataset(handle, filePath, path, fileSpace, dimensions, layout);
        }
        catch
        {
            fileSpace.Dispose();
            throw;
        }
    }

    private static void ValidateShape(ReadOnlySpan<long> dimensions, Hdf5Storage storage)
    {
        if (dimensions.Length is < 1 or > H5S_MAX_RANK)
        {
            throw new ArgumentException($"A dataset has 1 to {H5S_MAX_RANK} dimensions, not {dimensions.Length}.", nameof(dimensions));
        }

        foreach (var extent in dimensions)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(extent, nameof(dimensions));
        }

        if (storage.ChunkDimensions is { } chunks)
        {
            if (chunks.Length != dimensions.Length)
            {
                throw new ArgumentException($"The chunk shape has {chunks.Length} dimensions; the dataset has {dimensions.Length}.", nameof(storage));
            }

            for (int i = 0; i < chunks.Length; i++)
            {
                if (chunks[i] < 1 || (dimensions[i] > 0 && chunks[i] > dimensions[i]))
                {
                    throw new ArgumentException($"Chunk extent {chunks[i]} of dimension {i} must be between 1 and the dataset extent {dimensions[i]}.", nameof(storage));
                }
            }
        }
        else if (storage.GzipLevel != 0 || storage.Shuffle)
        {
            throw new ArgumentException("Gzip and shuffle filters need chunked storage.", nameof(storage));
        }

        if (storage.GzipLevel is < 0 or > 9)
        {
            throw new ArgumentException($"The gzip level is 0 to 9, not {storage.GzipLevel}.", nameof(storage));
        }
    }

    /// <summary>Checks a block against the extent and converts it to hsize_t; returns the element count.</summary>
    /// <summary>Moves one block between the caller's buffer and the file: the selection is made on the dataspaces this
    /// dataset keeps, and the buffer goes straight to HDF5 with the native type of <typeparamref name="T"/>.</summary>
    private void Transfer<T>(T* buffer, int length, ReadOnlySpan<long> start, ReadOnlySpan<long> count, bool write)
        where T : unmanaged
    {
        long memoryType = Hdf5NativeTypes.Of<T>();
        int rank = _dimensions.Length;
        ulong* fileStart = stackalloc ulong[rank];
        ulong* blockShape = stackalloc ulong[rank];
        long elements = ValidateBlock(start, count, fileStart, blockShape);
        if (length != elements)
        {
            throw new ArgumentException($"The {(write ? "source" : "destination")} holds {length} elements; the block has {elements}.", write ? "source" : "destination");
        }

        if (elements == 0)
        {
            return;
        }

        var site = new Hdf5CallSite(write ? WritingDataset : ReadingDataset, FilePath, ObjectPath);
        using var gate = Hdf5Gate.Enter();
        var (memorySpace, fileSpace) = SelectBlock(fileStart, blockShape, site);
        if (write)
        {
            site.Check(H5Dwrite(Handle.Id, memoryType, memorySpace, fileSpace, H5P_DEFAULT, buffer), "H5Dwrite");
        }
        else
        {
            site.Check(H5Dread(Handle.Id, memoryType, memorySpace, fileSpace, H5P_DEFAULT, buffer), "H5Dread");
        }
    }

    private long ValidateBlock(ReadOnlySpan<long> start, ReadOnlySpan<long> count, ulong* fileStart, ulong* blockShape)
    {
        int rank = _dimensions.Length;
        if (start.Length != rank || count.Length != rank)
        {
            throw new ArgumentException($"Dataset '{ObjectPath}' has {rank} dimensions; start has {start.Length} and count {count.Length}.");
        }

        long elements = 1;
        for (int i = 0; i < rank; i++)
        {
            if (start[i] < 0 || count[i] < 0 || start[i] + count[i] > _dimensions[i])
            {
                throw new ArgumentOutOfRangeException(
                    nameof(count),
                    $"Block [{start[i]}, {start[i] + count[i]}) of dimension {i} lies outside dataset '{ObjectPath}' of extent {_dimensions[i]}.");
            }

            fileStart[i] = (ulong)start[i];
            blockShape[i] = (ulong)count[i];
            elements *= count[i];
        }

        return elements;
    }

    /// <summary>Selects the block in the file dataspace and returns (memory space, file space) ids for H5Dread/H5Dwrite.</summary>
    private (long Memory, long File) SelectBlock(ulong* fileStart, ulong* blockShape, Hdf5CallSite site)
    {
        int rank = _dimensions.Length;
        if (rank == 0)
        {
            // A scalar dataset has no hyperslabs: its one element is the whole selection.
            return (H5S_ALL, H5S_ALL);
        }

        if (_memorySpace is null || !new ReadOnlySpan<ulong>(blockShape, rank).SequenceEqual(_memoryShape))
        {
            _memorySpace?.Dispose();
            _memorySpace = null;
            _memorySpace = site.Open(H5Screate_simple(rank, blockShape, null), Hdf5HandleKind.Dataspace, "H5Screate_simple");
            new ReadOnlySpan<ulong>(blockShape, rank).CopyTo(_memoryShape);
        }

        long fileSpace = _fileSpace.Id;
        site.Check(H5Sselect_hyperslab(fileSpace, H5S_SELECT_SET, fileStart, null, blockShape, null), "H5Sselect_hyperslab");
        return (_memorySpace.Id, fileSpace);
    }
}

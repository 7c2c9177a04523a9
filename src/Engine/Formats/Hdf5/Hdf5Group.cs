using static Scanflow.Engine.Formats.Hdf5.NativeMethods;

namespace Scanflow.Engine.Formats.Hdf5;

/// <summary>An open HDF5 group: its links, child groups and datasets. Names may be paths ("on/counts").</summary>
internal class Hdf5Group : Hdf5Object
{
    internal Hdf5Group(Hdf5Handle handle, string filePath, string objectPath)
        : base(handle, filePath, objectPath)
    {
    }

    /// <summary>Whether a link <paramref name="name"/> exists below this group, checking every level of a path.</summary>
    public bool Contains(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var site = new Hdf5CallSite("looking for", FilePath, Hdf5ObjectPath.Combine(ObjectPath, name));
        var levels = name.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var prefix = name.StartsWith('/') ? "/" : string.Empty;
        using var gate = Hdf5Gate.Enter();
        for (int depth = 1; depth <= levels.Length; depth++)
        {
            // H5Lexists only checks the last link of a path; a missing parent is an error, not "false".
            var path = prefix + string.Join('/', levels, 0, depth);
            int exists = H5Lexists(Handle.Id, path, H5P_DEFAULT);
            if (exists < 0 && depth > 1)
            {
                // The parent exists but is not a group (a dataset): nothing can be below it.
                _ = H5Eclear2(H5E_DEFAULT);
                return false;
            }

            if (site.Check(exists, "H5Lexists") == 0)
            {
                return false;
            }
        }

        return true;
    }

    public Hdf5Group OpenGroup(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var path = Hdf5ObjectPath.Combine(ObjectPath, name);
        var site = new Hdf5CallSite("opening group", FilePath, path);
        using var gate = Hdf5Gate.Enter();
        var handle = site.Open(H5Gopen2(Handle.Id, name, H5P_DEFAULT), Hdf5HandleKind.Group, "H5Gopen2");
        return new Hdf5Group(handle, FilePath, path);
    }

    /// <summary>Creates a group, and any missing groups on its path, as h5py does.</summary>
    public Hdf5Group CreateGroup(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var path = Hdf5ObjectPath.Combine(ObjectPath, name);
        var site = new Hdf5CallSite("creating group", FilePath, path);
        using var gate = Hdf5Gate.Enter();
        using var linkCreation = CreateIntermediateGroupsList(site);
        var handle = site.Open(H5Gcreate2(Handle.Id, name, linkCreation.Id, H5P_DEFAULT, H5P_DEFAULT), Hdf5HandleKind.Group, "H5Gcreate2");
        return new Hdf5Group(handle, FilePath, path);
    }

    /// <summary>Opens the dataset <paramref name="name"/> of this group.</summary>
    /// <param name="name">The dataset's name or path relative to this group.</param>
    /// <param name="chunkCacheBytes">If positive and the dataset is chunked and filtered (compressed), its chunk cache gets
    /// this size. An unfiltered chunked dataset always gets no chunk cache, so blocks move straight between file and buffer.</param>
    public Hdf5Dataset OpenDataset(string name, long chunkCacheBytes = 0) =>
        Hdf5Dataset.Open(this, name, chunkCacheBytes);

    /// <summary>Creates a fixed-size dataset of <typeparamref name="T"/> with the given storage layout.</summary>
    /// <param name="name">The new dataset's name in this group.</param>
    /// <param name="dimensions">Its shape.</param>
    /// <param name="storage">Contiguous, or chunked with optional shuffle and gzip.</param>
    /// <param name="chunkCacheBytes">As for <see cref="OpenDataset"/>: used only by filtered chunked storage.</param>
    public Hdf5Dataset CreateDataset<T>(string name, ReadOnlySpan<long> dimensions, Hdf5Storage storage, long chunkCacheBytes = 0)
        where T : unmanaged =>
        Hdf5Dataset.Create<T>(this, name, dimensions, storage, chunkCacheBytes);

    /// <summary>Creates a contiguous dataset holding <paramref name="data"/> (row-major, shaped by <paramref name="dimensions"/>).</summary>
    public void WriteDataset<T>(string name, ReadOnlySpan<T> data, ReadOnlySpan<long> dimensions)
        where T : unmanaged
    {
        using var dataset = CreateDataset<T>(name, dimensions, Hdf5Storage.Contiguous);
        Span<long> origin = stackalloc long[dimensions.Length];
        origin.Clear();
        dataset.Write(data, origin, dimensions);
    }

    /// <summary>Reads a whole dataset, converted by HDF5 to <typeparamref name="T"/>.</summary>
    public T[] ReadDataset<T>(string name)
        where T : unmanaged
    {
        using var dataset = OpenDataset(name);
        return dataset.ReadAll<T>();
    }

    internal static Hdf5Handle CreateIntermediateGroupsList(Hdf5CallSite site)
    {
        var list = site.Open(H5Pcreate(Hdf5NativeTypes.LinkCreateClass), Hdf5HandleKind.PropertyList, "H5Pcreate");
        try
        {
            site.Check(H5Pset_create_intermediate_group(list.Id, 1), "H5Pset_create_intermediate_group");
            return list;
        }
        catch
        {
            list.Dispose();
            throw;
        }
    }
}

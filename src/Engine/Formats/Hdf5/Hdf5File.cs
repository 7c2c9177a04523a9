using static Scanflow.Engine.Formats.Hdf5.NativeMethods;

namespace Scanflow.Engine.Formats.Hdf5;

/// <summary>An open HDF5 file; it is also its root group ("/").</summary>
internal sealed class Hdf5File : Hdf5Group
{
    private Hdf5File(Hdf5Handle handle, string filePath)
        : base(handle, filePath, Hdf5ObjectPath.Root)
    {
    }

    /// <summary>Opens an existing file read-only.</summary>
    public static Hdf5File OpenRead(string path)
    {
        var fullPath = Path.GetFullPath(path);
        var site = new Hdf5CallSite("opening file", fullPath, null);
        using var gate = Hdf5Gate.Enter();
        using var access = Hdf5FileAccess.CreateList(site);
        var handle = site.Open(H5Fopen(fullPath, H5F_ACC_RDONLY, access.Id), Hdf5HandleKind.File, "H5Fopen");
        return new Hdf5File(handle, fullPath);
    }

    /// <summary>Creates a new file; fails if one exists, so a finished file is never overwritten by accident.</summary>
    public static Hdf5File Create(string path)
    {
        var fullPath = Path.GetFullPath(path);
        var site = new Hdf5CallSite("creating file", fullPath, null);
        using var gate = Hdf5Gate.Enter();
        using var access = Hdf5FileAccess.CreateList(site);
        var handle = site.Open(H5Fcreate(fullPath, H5F_ACC_EXCL, H5P_DEFAULT, access.Id), Hdf5HandleKind.File, "H5Fcreate");
        return new Hdf5File(handle, fullPath);
    }

    /// <summary>Writes buffered data and metadata of this file to disk.</summary>
    public void Flush()
    {
        var site = new Hdf5CallSite("flushing file", FilePath, null);
        using var gate = Hdf5Gate.Enter();
        site.Check(H5Fflush(Handle.Id, H5F_SCOPE_LOCAL), "H5Fflush");
    }
}

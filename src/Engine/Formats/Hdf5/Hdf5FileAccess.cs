using System.Runtime.InteropServices;
using static Scanflow.Engine.Formats.Hdf5.NativeMethods;

namespace Scanflow.Engine.Formats.Hdf5;

/// <summary>The file access list every open uses: HDF5 file locking off. Lustre and NFS mounts often lack flock, which
/// makes HDF5 ≥ 1.10 refuse to open any file; and HDF5 opens files without close-on-exec, so a child process started
/// while a file is open inherits its lock and blocks the next reader. Completeness of incoming files is decided by the
/// ingest rules instead, and products are written under temporary names.</summary>
internal static unsafe class Hdf5FileAccess
{
    // H5Pset_file_locking exists from HDF5 1.10.7 / 1.12.1; older libraries honour no switch at all.
    private static readonly delegate* unmanaged<long, byte, byte, int> SetFileLocking =
        NativeLibrary.TryGetExport(Hdf5Library.Runtime.Handle, "H5Pset_file_locking", out var address)
            ? (delegate* unmanaged<long, byte, byte, int>)address
            : null;

    /// <summary>Creates the access list; the caller holds the gate and disposes the handle.</summary>
    public static Hdf5Handle CreateList(Hdf5CallSite site)
    {
        var list = site.Open(H5Pcreate(Hdf5NativeTypes.FileAccessClass), Hdf5HandleKind.PropertyList, "H5Pcreate");
        if (SetFileLocking != null)
        {
            site.Check(SetFileLocking(list.Id, 0, 1), "H5Pset_file_locking");
        }

        return list;
    }
}

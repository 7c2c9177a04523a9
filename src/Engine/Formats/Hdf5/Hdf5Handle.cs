using System.Runtime.InteropServices;

namespace Scanflow.Engine.Formats.Hdf5;

/// <summary>
/// Owns one HDF5 id and closes it with the H5?close that matches its kind, so ids are released
/// on every path, including exceptions and finalisation.
/// </summary>
internal sealed class Hdf5Handle : SafeHandle
{
    internal Hdf5Handle(long id, Hdf5HandleKind kind)
        : base(IntPtr.Zero, ownsHandle: true)
    {
        Kind = kind;
        SetHandle((nint)id);
    }

    internal Hdf5HandleKind Kind { get; }

    /// <summary>The raw hid_t; throws once the handle is closed so a stale id never reaches HDF5.</summary>
    internal long Id
    {
        get
        {
            ObjectDisposedException.ThrowIf(IsClosed, this);
            return handle;
        }
    }

    public override bool IsInvalid => handle <= 0;

    protected override bool ReleaseHandle()
    {
        // Finalisers run on their own thread: closing must take the gate like any other call.
        using var gate = Hdf5Gate.Enter();
        long id = handle;
        int status = Kind switch
        {
            Hdf5HandleKind.File => NativeMethods.H5Fclose(id),
            Hdf5HandleKind.Group => NativeMethods.H5Gclose(id),
            Hdf5HandleKind.Dataset => NativeMethods.H5Dclose(id),
            Hdf5HandleKind.Dataspace => NativeMethods.H5Sclose(id),
            Hdf5HandleKind.Datatype => NativeMethods.H5Tclose(id),
            Hdf5HandleKind.Attribute => NativeMethods.H5Aclose(id),
            Hdf5HandleKind.PropertyList => NativeMethods.H5Pclose(id),
            _ => -1,
        };
        if (status < 0)
        {
            // Nobody can act on a failed close; keep the stack clean for the next caller.
            _ = NativeMethods.H5Eclear2(NativeMethods.H5E_DEFAULT);
        }

        return status >= 0;
    }
}

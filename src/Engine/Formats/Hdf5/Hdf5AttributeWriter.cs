using System.Runtime.InteropServices;
using System.Text;
using static Scanflow.Engine.Formats.Hdf5.NativeMethods;

namespace Scanflow.Engine.Formats.Hdf5;

/// <summary>
/// Writes attributes the way h5py does, so other tools read them naturally: strings as
/// variable-length UTF-8, numbers as scalars or 1-D arrays. An existing attribute is replaced.
/// </summary>
internal static unsafe class Hdf5AttributeWriter
{
    internal static void WriteStrings(Hdf5Object owner, string name, IReadOnlyList<string> values, bool scalar)
    {
        var site = SiteFor(owner, name);
        var pointers = new nint[Math.Max(values.Count, 1)];
        try
        {
            for (int i = 0; i < values.Count; i++)
            {
                ArgumentNullException.ThrowIfNull(values[i], nameof(values));
                pointers[i] = Marshal.StringToCoTaskMemUTF8(values[i]);
            }

            using var gate = Hdf5Gate.Enter();
            using var type = site.Open(H5Tcopy(Hdf5NativeTypes.CString), Hdf5HandleKind.Datatype, "H5Tcopy");
            site.Check(H5Tset_size(type.Id, H5T_VARIABLE), "H5Tset_size");
            site.Check(H5Tset_cset(type.Id, H5T_CSET_UTF8), "H5Tset_cset");
            site.Check(H5Tset_strpad(type.Id, H5T_STR_NULLTERM), "H5Tset_strpad");
            fixed (nint* buffer = pointers)
            {
                Write(owner, name, type.Id, scalar ? -1 : values.Count, buffer, site);
            }
        }
        finally
        {
            foreach (var pointer in pointers)
            {
                Marshal.FreeCoTaskMem(pointer);
            }
        }
    }

    internal static void WriteFixedLengthAscii(Hdf5Object owner, string name, string value)
    {
        if (!Ascii.IsValid(value))
        {
            throw new ArgumentException("A fixed-length attribute holds ASCII text only.", nameof(value));
        }

        var site = SiteFor(owner, name);
        // One extra byte for the terminator: null-terminated strings keep it inside the fixed size.
        var bytes = new byte[value.Length + 1];
        Encoding.ASCII.GetBytes(value, bytes);
        using var gate = Hdf5Gate.Enter();
        using var type = site.Open(H5Tcopy(Hdf5NativeTypes.CString), Hdf5HandleKind.Datatype, "H5Tcopy");
        site.Check(H5Tset_size(type.Id, (nuint)bytes.Length), "H5Tset_size");
        site.Check(H5Tset_cset(type.Id, H5T_CSET_ASCII), "H5Tset_cset");
        site.Check(H5Tset_strpad(type.Id, H5T_STR_NULLTERM), "H5Tset_strpad");
        fixed (byte* buffer = bytes)
        {
            Write(owner, name, type.Id, -1, buffer, site);
        }
    }

    internal static void WriteScalar<T>(Hdf5Object owner, string name, T value)
        where T : unmanaged
    {
        var site = SiteFor(owner, name);
        using var gate = Hdf5Gate.Enter();
        Write(owner, name, Hdf5NativeTypes.Of<T>(), -1, &value, site);
    }

    internal static void WriteArray<T>(Hdf5Object owner, string name, ReadOnlySpan<T> values)
        where T : unmanaged
    {
        var site = SiteFor(owner, name);
        // HDF5 rejects a null buffer even for zero elements; give it a harmless address.
        T placeholder = default;
        using var gate = Hdf5Gate.Enter();
        fixed (T* data = values)
        {
            Write(owner, name, Hdf5NativeTypes.Of<T>(), values.Length, values.IsEmpty ? &placeholder : data, site);
        }
    }

    /// <summary>Writes attribute <paramref name="name"/> of <paramref name="owner"/> from <paramref name="buffer"/>, replacing
    /// an existing one; <paramref name="length"/> is the elements of a 1-D dataspace, or -1 for a scalar dataspace.</summary>
    private static void Write(Hdf5Object owner, string name, long type, long length, void* buffer, Hdf5CallSite site)
    {
        long ownerId = owner.Handle.Id;
        if (site.Check(H5Aexists(ownerId, name), "H5Aexists") > 0)
        {
            site.Check(H5Adelete(ownerId, name), "H5Adelete");
        }

        using var space = CreateSpace(length, site);
        using var attribute = site.Open(H5Acreate2(ownerId, name, type, space.Id, H5P_DEFAULT, H5P_DEFAULT), Hdf5HandleKind.Attribute, "H5Acreate2");
        site.Check(H5Awrite(attribute.Id, type, buffer), "H5Awrite");
    }

    private static Hdf5Handle CreateSpace(long length, Hdf5CallSite site)
    {
        if (length < 0)
        {
            return site.Open(H5Screate(H5S_SCALAR), Hdf5HandleKind.Dataspace, "H5Screate");
        }

        ulong dimension = (ulong)length;
        return site.Open(H5Screate_simple(1, &dimension, null), Hdf5HandleKind.Dataspace, "H5Screate_simple");
    }

    private static Hdf5CallSite SiteFor(Hdf5Object owner, string name) =>
        new($"writing attribute '{name}' of", owner.FilePath, owner.ObjectPath);
}

using System.Runtime.InteropServices;
using System.Text;
using static Scanflow.Engine.Formats.Hdf5.NativeMethods;

namespace Scanflow.Engine.Formats.Hdf5;

/// <summary>
/// Reads attributes written by any HDF5 writer: fixed- or variable-length strings in ASCII or
/// UTF-8, and numbers of any stored type converted by HDF5 to the requested native type.
/// </summary>
internal static unsafe class Hdf5AttributeReader
{
    internal static string[] ReadStrings(Hdf5Object owner, string name)
    {
        var site = SiteFor(owner, name);
        using var gate = Hdf5Gate.Enter();
        using var attribute = Open(owner, name, site);
        using var fileType = site.Open(H5Aget_type(attribute.Id), Hdf5HandleKind.Datatype, "H5Aget_type");
        if (site.Check(H5Tget_class(fileType.Id), "H5Tget_class") != H5T_STRING)
        {
            throw site.Mismatch("the attribute does not hold strings");
        }

        int count = ElementCount(attribute, site);
        if (count == 0)
        {
            return [];
        }

        return site.Check(H5Tis_variable_str(fileType.Id), "H5Tis_variable_str") > 0
            ? ReadVariableLength(attribute, fileType, count, site)
            : ReadFixedLength(attribute, fileType, count, site);
    }

    internal static string ReadString(Hdf5Object owner, string name)
    {
        var values = ReadStrings(owner, name);
        return values.Length == 1
            ? values[0]
            : throw SiteFor(owner, name).Mismatch($"expected one string, found {values.Length}");
    }

    internal static double ReadDouble(Hdf5Object owner, string name)
    {
        double value = 0;
        ReadNumbers(owner, name, Hdf5NativeTypes.Double, new Span<double>(ref value), integersOnly: false);
        return value;
    }

    internal static long ReadInt64(Hdf5Object owner, string name)
    {
        long value = 0;
        ReadNumbers(owner, name, Hdf5NativeTypes.LLong, new Span<long>(ref value), integersOnly: true);
        return value;
    }

    internal static long[] ReadInt64Array(Hdf5Object owner, string name)
    {
        var site = SiteFor(owner, name);
        using var gate = Hdf5Gate.Enter();
        using var attribute = Open(owner, name, site);
        RequireNumeric(attribute, integersOnly: true, site);
        var values = new long[ElementCount(attribute, site)];
        if (values.Length > 0)
        {
            fixed (long* buffer = values)
            {
                site.Check(H5Aread(attribute.Id, Hdf5NativeTypes.LLong, buffer), "H5Aread");
            }
        }

        return values;
    }

    internal static bool Exists(Hdf5Object owner, string name)
    {
        var site = new Hdf5CallSite($"looking for attribute '{name}' on", owner.FilePath, owner.ObjectPath);
        using var gate = Hdf5Gate.Enter();
        return site.Check(H5Aexists(owner.Handle.Id, name), "H5Aexists") > 0;
    }

    private static void ReadNumbers<T>(Hdf5Object owner, string name, long memoryType, Span<T> single, bool integersOnly)
        where T : unmanaged
    {
        var site = SiteFor(owner, name);
        using var gate = Hdf5Gate.Enter();
        using var attribute = Open(owner, name, site);
        RequireNumeric(attribute, integersOnly, site);
        int count = ElementCount(attribute, site);
        if (count != 1)
        {
            throw site.Mismatch($"expected one value, found {count}");
        }

        fixed (T* buffer = single)
        {
            site.Check(H5Aread(attribute.Id, memoryType, buffer), "H5Aread");
        }
    }

    private static string[] ReadVariableLength(Hdf5Handle attribute, Hdf5Handle fileType, int count, Hdf5CallSite site)
    {
        // HDF5 will not convert between ASCII and UTF-8 strings, so the memory type keeps the file's cset.
        int characterSet = site.Check(H5Tget_cset(fileType.Id), "H5Tget_cset");
        using var memoryType = site.Open(H5Tcopy(Hdf5NativeTypes.CString), Hdf5HandleKind.Datatype, "H5Tcopy");
        site.Check(H5Tset_size(memoryType.Id, H5T_VARIABLE), "H5Tset_size");
        site.Check(H5Tset_cset(memoryType.Id, characterSet), "H5Tset_cset");

        var pointers = new nint[count];
        fixed (nint* buffer = pointers)
        {
            site.Check(H5Aread(attribute.Id, memoryType.Id, buffer), "H5Aread");
        }

        var values = new string[count];
        try
        {
            for (int i = 0; i < count; i++)
            {
                values[i] = Marshal.PtrToStringUTF8(pointers[i]) ?? string.Empty;
            }
        }
        finally
        {
            // The strings were allocated by the library and must go back to its allocator.
            foreach (var pointer in pointers)
            {
                if (pointer != 0)
                {
                    _ = H5free_memory((void*)pointer);
                }
            }
        }

        return values;
    }

    private static string[] ReadFixedLength(Hdf5Handle attribute, Hdf5Handle fileType, int count, Hdf5CallSite site)
    {
        int size = checked((int)H5Tget_size(fileType.Id));
        if (size == 0)
        {
            throw site.Fail("H5Tget_size");
        }

        int padding = site.Check(H5Tget_strpad(fileType.Id), "H5Tget_strpad");
        using var memoryType = site.Open(H5Tcopy(fileType.Id), Hdf5HandleKind.Datatype, "H5Tcopy");
        var bytes = new byte[checked(size * count)];
        fixed (byte* buffer = bytes)
        {
            site.Check(H5Aread(attribute.Id, memoryType.Id, buffer), "H5Aread");
        }

        var values = new string[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = Decode(bytes.AsSpan(i * size, size), padding);
        }

        return values;
    }

    // Writers differ in padding (h5py pads with NULs, Fortran and IDL with spaces): strip whichever applies.
    private static string Decode(ReadOnlySpan<byte> text, int padding)
    {
        int end = text.IndexOf((byte)0);
        if (end >= 0)
        {
            text = text[..end];
        }

        if (padding == H5T_STR_SPACEPAD)
        {
            text = text.TrimEnd((byte)' ');
        }

        return Encoding.UTF8.GetString(text);
    }

    private static void RequireNumeric(Hdf5Handle attribute, bool integersOnly, Hdf5CallSite site)
    {
        using var fileType = site.Open(H5Aget_type(attribute.Id), Hdf5HandleKind.Datatype, "H5Aget_type");
        int typeClass = site.Check(H5Tget_class(fileType.Id), "H5Tget_class");
        bool accepted = typeClass == H5T_INTEGER || (!integersOnly && typeClass == H5T_FLOAT);
        if (!accepted)
        {
            throw site.Mismatch(integersOnly ? "the attribute does not hold integers" : "the attribute does not hold numbers");
        }
    }

    private static int ElementCount(Hdf5Handle attribute, Hdf5CallSite site)
    {
        using var space = site.Open(H5Aget_space(attribute.Id), Hdf5HandleKind.Dataspace, "H5Aget_space");
        if (site.Check(H5Sget_simple_extent_type(space.Id), "H5Sget_simple_extent_type") == H5S_NULL)
        {
            return 0;
        }

        long points = H5Sget_simple_extent_npoints(space.Id);
        return points >= 0 ? checked((int)points) : throw site.Fail("H5Sget_simple_extent_npoints");
    }

    private static Hdf5Handle Open(Hdf5Object owner, string name, Hdf5CallSite site) =>
        site.Open(H5Aopen(owner.Handle.Id, name, H5P_DEFAULT), Hdf5HandleKind.Attribute, "H5Aopen");

    private static Hdf5CallSite SiteFor(Hdf5Object owner, string name) =>
        new($"reading attribute '{name}' of", owner.FilePath, owner.ObjectPath);
}

using System.Runtime.InteropServices;

namespace Scanflow.Engine.Formats.Hdf5;

/// <summary>
/// The subset of the HDF5 C API (1.10 and later) the object API needs. Only functions whose
/// signatures are identical in 1.10, 1.12 and 1.14 are declared, so one binding serves all three.
/// hid_t = long, herr_t = int, htri_t = int, hsize_t = ulong, size_t = nuint.
/// </summary>
/// <remarks>Call only through <see cref="Hdf5Gate"/>: the serial library is not re-entrant.</remarks>
internal static unsafe partial class NativeMethods
{
    internal const string Library = "hdf5";

    // Constants from H5public.h / H5Fpublic.h / H5Spublic.h / H5Tpublic.h / H5Dpublic.h / H5Epublic.h.
    internal const long H5P_DEFAULT = 0;
    internal const long H5S_ALL = 0;
    internal const long H5E_DEFAULT = 0;
    internal const uint H5F_ACC_RDONLY = 0x0000;
    internal const uint H5F_ACC_RDWR = 0x0001;
    internal const uint H5F_ACC_EXCL = 0x0004;
    internal const int H5F_SCOPE_LOCAL = 0;
    internal const int H5S_SCALAR = 0;
    internal const int H5S_SIMPLE = 1;
    internal const int H5S_NULL = 2;
    internal const int H5S_SELECT_SET = 0;
    internal const int H5T_INTEGER = 0;
    internal const int H5T_FLOAT = 1;
    internal const int H5T_STRING = 3;
    internal const int H5T_SGN_NONE = 0;
    internal const int H5T_CSET_ASCII = 0;
    internal const int H5T_CSET_UTF8 = 1;
    internal const int H5T_STR_NULLTERM = 0;
    internal const int H5T_STR_NULLPAD = 1;
    internal const int H5T_STR_SPACEPAD = 2;
    internal const int H5D_CHUNKED = 2;
    internal const int H5E_WALK_DOWNWARD = 1;
    internal const int H5S_MAX_RANK = 32;
    internal static readonly nuint H5T_VARIABLE = nuint.MaxValue;

    // H5 library
    [LibraryImport(Library)]
    internal static partial int H5open();

    [LibraryImport(Library)]
    internal static partial int H5dont_atexit();

    [LibraryImport(Library)]
    internal static partial int H5get_libversion(out uint majnum, out uint minnum, out uint relnum);

    [LibraryImport(Library)]
    internal static partial int H5is_library_threadsafe(out byte isThreadSafe);

    [LibraryImport(Library)]
    internal static partial int H5free_memory(void* mem);

    // H5F files
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial long H5Fopen(string filename, uint flags, long faplId);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial long H5Fcreate(string filename, uint flags, long fcplId, long faplId);

    [LibraryImport(Library)]
    internal static partial int H5Fclose(long fileId);

    [LibraryImport(Library)]
    internal static partial int H5Fflush(long objectId, int scope);

    // H5G groups
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial long H5Gcreate2(long locId, string name, long lcplId, long gcplId, long gaplId);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial long H5Gopen2(long locId, string name, long gaplId);

    [LibraryImport(Library)]
    internal static partial int H5Gclose(long groupId);

    // H5D datasets
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial long H5Dcreate2(long locId, string name, long typeId, long spaceId, long lcplId, long dcplId, long daplId);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial long H5Dopen2(long locId, string name, long daplId);

    [LibraryImport(Library)]
    internal static partial int H5Dclose(long datasetId);

    [LibraryImport(Library)]
    internal static partial long H5Dget_space(long datasetId);

    [LibraryImport(Library)]
    internal static partial long H5Dget_type(long datasetId);

    [LibraryImport(Library)]
    internal static partial long H5Dget_create_plist(long datasetId);

    [LibraryImport(Library)]
    internal static partial long H5Dget_access_plist(long datasetId);

    [LibraryImport(Library)]
    internal static partial int H5Dread(long datasetId, long memTypeId, long memSpaceId, long fileSpaceId, long xferPlistId, void* buffer);

    [LibraryImport(Library)]
    internal static partial int H5Dwrite(long datasetId, long memTypeId, long memSpaceId, long fileSpaceId, long xferPlistId, void* buffer);

    // H5S dataspaces
    [LibraryImport(Library)]
    internal static partial long H5Screate(int type);

    [LibraryImport(Library)]
    internal static partial long H5Screate_simple(int rank, ulong* dims, ulong* maxdims);

    [LibraryImport(Library)]
    internal static partial int H5Sget_simple_extent_ndims(long spaceId);

    [LibraryImport(Library)]
    internal static partial int H5Sget_simple_extent_dims(long spaceId, ulong* dims, ulong* maxdims);

    [LibraryImport(Library)]
    internal static partial long H5Sget_simple_extent_npoints(long spaceId);

    [LibraryImport(Library)]
    internal static partial int H5Sget_simple_extent_type(long spaceId);

    [LibraryImport(Library)]
    internal static partial int H5Sselect_hyperslab(long spaceId, int op, ulong* start, ulong* stride, ulong* count, ulong* block);

    [LibraryImport(Library)]
    internal static partial int H5Sclose(long spaceId);

    // H5T datatypes
    [LibraryImport(Library)]
    internal static partial long H5Tcopy(long typeId);

    [LibraryImport(Library)]
    internal static partial int H5Tset_size(long typeId, nuint size);

    [LibraryImport(Library)]
    internal static partial int H5Tset_cset(long typeId, int cset);

    [LibraryImport(Library)]
    internal static partial int H5Tset_strpad(long typeId, int strpad);

    [LibraryImport(Library)]
    internal static partial int H5Tget_cset(long typeId);

    [LibraryImport(Library)]
    internal static partial int H5Tget_strpad(long typeId);

    [LibraryImport(Library)]
    internal static partial int H5Tis_variable_str(long typeId);

    [LibraryImport(Library)]
    internal static partial int H5Tget_class(long typeId);

    [LibraryImport(Library)]
    internal static partial nuint H5Tget_size(long typeId);

    [LibraryImport(Library)]
    internal static partial int H5Tget_sign(long typeId);

    [LibraryImport(Library)]
    internal static partial int H5Tclose(long typeId);

    // H5A attributes
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int H5Aexists(long objectId, string name);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial long H5Aopen(long objectId, string name, long aaplId);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial long H5Acreate2(long locId, string name, long typeId, long spaceId, long acplId, long aaplId);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int H5Adelete(long locId, string name);

    [LibraryImport(Library)]
    internal static partial int H5Aread(long attributeId, long memTypeId, void* buffer);

    [LibraryImport(Library)]
    internal static partial int H5Awrite(long attributeId, long memTypeId, void* buffer);

    [LibraryImport(Library)]
    internal static partial long H5Aget_space(long attributeId);

    [LibraryImport(Library)]
    internal static partial long H5Aget_type(long attributeId);

    [LibraryImport(Library)]
    internal static partial int H5Aclose(long attributeId);

    // H5L links
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int H5Lexists(long locId, string name, long laplId);

    // H5P property lists
    [LibraryImport(Library)]
    internal static partial long H5Pcreate(long classId);

    [LibraryImport(Library)]
    internal static partial int H5Pset_chunk(long plistId, int ndims, ulong* dims);

    [LibraryImport(Library)]
    internal static partial int H5Pget_chunk(long plistId, int maxNdims, ulong* dims);

    [LibraryImport(Library)]
    internal static partial int H5Pget_layout(long plistId);

    [LibraryImport(Library)]
    internal static partial int H5Pget_nfilters(long plistId);

    [LibraryImport(Library)]
    internal static partial int H5Pget_chunk_cache(long daplId, out nuint slotCount, out nuint bytes, out double w0);

    [LibraryImport(Library)]
    internal static partial int H5Pset_deflate(long plistId, uint level);

    [LibraryImport(Library)]
    internal static partial int H5Pset_shuffle(long plistId);

    /// <summary><paramref name="fillTime"/>: H5D_FILL_TIME_ALLOC 0, NEVER 1, IFSET 2 (the default).</summary>
    [LibraryImport(Library)]
    internal static partial int H5Pset_fill_time(long plistId, int fillTime);

    [LibraryImport(Library)]
    internal static partial int H5Pset_chunk_cache(long daplId, nuint slotCount, nuint bytes, double w0);

    [LibraryImport(Library)]
    internal static partial int H5Pset_create_intermediate_group(long lcplId, uint create);

    [LibraryImport(Library)]
    internal static partial int H5Pclose(long plistId);

    // H5E error stack
    [LibraryImport(Library)]
    internal static partial int H5Eset_auto2(long stackId, nint func, nint clientData);

    [LibraryImport(Library)]
    internal static partial int H5Ewalk2(long stackId, int direction, delegate* unmanaged[Cdecl]<uint, H5ErrorRecord*, void*, int> func, void* clientData);

    [LibraryImport(Library)]
    internal static partial int H5Eclear2(long stackId);
}

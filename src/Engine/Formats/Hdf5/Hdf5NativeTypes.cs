namespace Scanflow.Engine.Formats.Hdf5;

/// <summary>
/// The predefined HDF5 ids this binding uses. They are C globals that H5open fills in, so they are
/// read from the loaded library rather than declared as constants.
/// </summary>
internal static class Hdf5NativeTypes
{
    internal static readonly long Float = Hdf5Library.ReadGlobalId("H5T_NATIVE_FLOAT_g");
    internal static readonly long Double = Hdf5Library.ReadGlobalId("H5T_NATIVE_DOUBLE_g");
    internal static readonly long SByte = Hdf5Library.ReadGlobalId("H5T_NATIVE_SCHAR_g");
    internal static readonly long Byte = Hdf5Library.ReadGlobalId("H5T_NATIVE_UCHAR_g");
    internal static readonly long Short = Hdf5Library.ReadGlobalId("H5T_NATIVE_SHORT_g");
    internal static readonly long UShort = Hdf5Library.ReadGlobalId("H5T_NATIVE_USHORT_g");
    internal static readonly long Int = Hdf5Library.ReadGlobalId("H5T_NATIVE_INT_g");
    internal static readonly long UInt = Hdf5Library.ReadGlobalId("H5T_NATIVE_UINT_g");
    internal static readonly long LLong = Hdf5Library.ReadGlobalId("H5T_NATIVE_LLONG_g");
    internal static readonly long ULLong = Hdf5Library.ReadGlobalId("H5T_NATIVE_ULLONG_g");
    internal static readonly long CString = Hdf5Library.ReadGlobalId("H5T_C_S1_g");

    internal static readonly long DatasetCreateClass = Hdf5Library.ReadGlobalId("H5P_CLS_DATASET_CREATE_ID_g");
    internal static readonly long DatasetAccessClass = Hdf5Library.ReadGlobalId("H5P_CLS_DATASET_ACCESS_ID_g");
    internal static readonly long LinkCreateClass = Hdf5Library.ReadGlobalId("H5P_CLS_LINK_CREATE_ID_g");
    internal static readonly long FileAccessClass = Hdf5Library.ReadGlobalId("H5P_CLS_FILE_ACCESS_ID_g");

    /// <summary>The native HDF5 type of <typeparamref name="T"/>; the type tests fold away when the JIT specialises.</summary>
    internal static long Of<T>()
        where T : unmanaged
    {
        if (typeof(T) == typeof(float)) return Float;
        if (typeof(T) == typeof(double)) return Double;
        if (typeof(T) == typeof(sbyte)) return SByte;
        if (typeof(T) == typeof(byte)) return Byte;
        if (typeof(T) == typeof(short)) return Short;
        if (typeof(T) == typeof(ushort)) return UShort;
        if (typeof(T) == typeof(int)) return Int;
        if (typeof(T) == typeof(uint)) return UInt;
        if (typeof(T) == typeof(long)) return LLong;
        if (typeof(T) == typeof(ulong)) return ULLong;
        throw new NotSupportedException(
            $"HDF5 element type {typeof(T).Name} is not supported; use float, double, sbyte, byte, short, ushort, int, uint, long or ulong.");
    }
}

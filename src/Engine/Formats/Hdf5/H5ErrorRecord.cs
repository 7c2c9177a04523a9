using System.Runtime.InteropServices;

namespace Scanflow.Engine.Formats.Hdf5;

/// <summary>H5E_error2_t: one entry of the HDF5 error stack, as passed to an H5Ewalk2 callback.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct H5ErrorRecord
{
    public long ClassId;
    public long MajorId;
    public long MinorId;
    public uint Line;
    public byte* FunctionName;
    public byte* FileName;
    public byte* Description;
}

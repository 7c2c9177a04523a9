using System.Diagnostics.CodeAnalysis;

namespace Scanflow.Engine.Formats.Hdf5;

/// <summary>The element type of a dataset as stored in the file.</summary>
[SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "The members are the element type names used by HDF5 and NumPy.")]
internal enum Hdf5ElementKind
{
    /// <summary>IEEE half precision (NumPy float16): recognised so a file holding it is refused by name, never read.</summary>
    Float16,
    Float32,
    Float64,
    Int8,
    Int16,
    Int32,
    Int64,
    UInt8,
    UInt16,
    UInt32,
    UInt64,
    String,
    Other,
}

namespace Scanflow.Engine.Formats.Hdf5;

/// <summary>An open object in an HDF5 file (the file's root group, a group or a dataset) and its attributes.</summary>
internal abstract class Hdf5Object : IDisposable
{
    private protected Hdf5Object(Hdf5Handle handle, string filePath, string objectPath)
    {
        Handle = handle;
        FilePath = filePath;
        ObjectPath = objectPath;
    }

    /// <summary>The file this object is in.</summary>
    public string FilePath { get; }

    /// <summary>The absolute path of the object inside the file: "/", "/on", "/on/counts".</summary>
    public string ObjectPath { get; }

    internal Hdf5Handle Handle { get; }

    public bool HasAttribute(string name) => Hdf5AttributeReader.Exists(this, name);

    /// <summary>A scalar or one-element string attribute, fixed-length (padding trimmed) or variable-length, ASCII or UTF-8.</summary>
    public string ReadStringAttribute(string name) => Hdf5AttributeReader.ReadString(this, name);

    public string[] ReadStringArrayAttribute(string name) => Hdf5AttributeReader.ReadStrings(this, name);

    /// <summary>A single number of any stored integer or floating-point type, converted by HDF5.</summary>
    public double ReadDoubleAttribute(string name) => Hdf5AttributeReader.ReadDouble(this, name);

    /// <summary>A single integer of any stored integer type, converted by HDF5.</summary>
    public long ReadInt64Attribute(string name) => Hdf5AttributeReader.ReadInt64(this, name);

    public long[] ReadInt64ArrayAttribute(string name) => Hdf5AttributeReader.ReadInt64Array(this, name);

    /// <summary>Writes a variable-length UTF-8 string in a scalar dataspace (h5py reads it as <c>str</c>).</summary>
    public void WriteAttribute(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Hdf5AttributeWriter.WriteStrings(this, name, [value], scalar: true);
    }

    /// <summary>Writes a 1-D array of variable-length UTF-8 strings.</summary>
    public void WriteAttribute(string name, IReadOnlyList<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        Hdf5AttributeWriter.WriteStrings(this, name, values, scalar: false);
    }

    public void WriteAttribute(string name, double value) => Hdf5AttributeWriter.WriteScalar(this, name, value);

    /// <summary>Writes a scalar int64.</summary>
    public void WriteAttribute(string name, long value) => Hdf5AttributeWriter.WriteScalar(this, name, value);

    /// <summary>Writes a scalar int32.</summary>
    public void WriteAttribute(string name, int value) => Hdf5AttributeWriter.WriteScalar(this, name, value);

    /// <summary>Writes a 1-D int64 array; an empty span gives a zero-length array.</summary>
    public void WriteAttribute(string name, ReadOnlySpan<long> values) => Hdf5AttributeWriter.WriteArray(this, name, values);

    /// <summary>Writes a fixed-length, null-terminated ASCII string, as older writers do.</summary>
    public void WriteFixedLengthAttribute(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Hdf5AttributeWriter.WriteFixedLengthAscii(this, name, value);
    }

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            Handle.Dispose();
        }
    }
}

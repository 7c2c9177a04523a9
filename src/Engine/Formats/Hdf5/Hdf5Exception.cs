namespace Scanflow.Engine.Formats.Hdf5;

/// <summary>
/// An HDF5 call failed. The message names the operation, the object and the file, followed by the
/// failing C function and the HDF5 error stack (outermost first, innermost last).
/// </summary>
internal class Hdf5Exception : IOException
{
    public Hdf5Exception()
        : this("HDF5 error.")
    {
    }

    public Hdf5Exception(string message)
        : base(message)
    {
        Operation = string.Empty;
        FilePath = string.Empty;
    }

    public Hdf5Exception(string message, Exception innerException)
        : base(message, innerException)
    {
        Operation = string.Empty;
        FilePath = string.Empty;
    }

    public Hdf5Exception(string operation, string filePath, string? objectPath, string detail)
        : base(Compose(operation, filePath, objectPath, detail))
    {
        Operation = operation;
        FilePath = filePath;
        ObjectPath = objectPath;
    }

    /// <summary>What was being done, e.g. "reading dataset" or "reading attribute 'units' of".</summary>
    public string Operation { get; }

    /// <summary>The HDF5 file involved.</summary>
    public string FilePath { get; }

    /// <summary>The object inside the file ("/on/counts"), or null when the failure concerns the file itself.</summary>
    public string? ObjectPath { get; }

    private static string Compose(string operation, string filePath, string? objectPath, string detail) =>
        objectPath is null
            ? $"HDF5 error {operation} '{filePath}': {detail}"
            : $"HDF5 error {operation} '{objectPath}' in '{filePath}': {detail}";
}

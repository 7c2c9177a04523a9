namespace Scanflow.Engine.Formats.Hdf5;

/// <summary>
/// What the object API is doing and to which object, so a failing native call becomes an
/// <see cref="Hdf5Exception"/> that names them. A struct of three references: free on hot paths.
/// </summary>
internal readonly record struct Hdf5CallSite(string Operation, string FilePath, string? ObjectPath)
{
    /// <summary>Returns a valid hid_t, or throws with the error stack if the call returned a negative id.</summary>
    internal long Id(long id, string function) => id >= 0 ? id : throw Fail(function);

    /// <summary>Returns a non-negative herr_t/htri_t/enum, or throws with the error stack.</summary>
    internal int Check(int status, string function) => status >= 0 ? status : throw Fail(function);

    /// <summary>Wraps a freshly returned id so it is closed even if a later step throws.</summary>
    internal Hdf5Handle Open(long id, Hdf5HandleKind kind, string function) => new(Id(id, function), kind);

    internal Hdf5Exception Fail(string function) =>
        new(Operation, FilePath, ObjectPath, Hdf5ErrorStack.Drain(function));

    /// <summary>A failure found by this binding (wrong type or shape), not reported by HDF5.</summary>
    internal Hdf5Exception Mismatch(string detail) => new(Operation, FilePath, ObjectPath, detail);
}

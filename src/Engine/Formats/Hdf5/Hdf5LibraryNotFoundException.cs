namespace Scanflow.Engine.Formats.Hdf5;

/// <summary>The HDF5 C library could not be loaded from any candidate location.</summary>
internal class Hdf5LibraryNotFoundException : DllNotFoundException
{
    public Hdf5LibraryNotFoundException()
        : this([])
    {
    }

    public Hdf5LibraryNotFoundException(string message)
        : base(message)
    {
        Tried = [];
    }

    public Hdf5LibraryNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
        Tried = [];
    }

    public Hdf5LibraryNotFoundException(IReadOnlyList<string> tried)
        : base(Describe(tried))
    {
        Tried = tried;
    }

    /// <summary>The library names and paths that were tried, in order.</summary>
    public IReadOnlyList<string> Tried { get; }

    private static string Describe(IReadOnlyList<string> tried) =>
        $"The HDF5 C library was not found (tried: {string.Join(", ", tried)}). " +
        $"Install it (Debian: apt-get install libhdf5-103-1) or set {Hdf5Library.PathVariable} to the path of libhdf5.";
}

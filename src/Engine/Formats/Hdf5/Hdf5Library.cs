using System.Globalization;
using System.Runtime.InteropServices;

namespace Scanflow.Engine.Formats.Hdf5;

/// <summary>
/// Finds and loads the HDF5 C library once per process and routes every <c>LibraryImport("hdf5")</c>
/// of this assembly to it, whatever the file is called on this platform or distribution.
/// </summary>
internal static class Hdf5Library
{
    /// <summary>Environment variable naming the libhdf5 file to load instead of searching.</summary>
    public const string PathVariable = "SCANFLOW_HDF5_LIBRARY";

    // Debian's serial build first, then the usual sonames of 1.10 (103), 1.12 (200), 1.14 (310), then unversioned.
    private static readonly string[] DefaultCandidates =
    [
        "libhdf5_serial.so.103",
        "libhdf5.so.103",
        "libhdf5.so.310",
        "libhdf5.so.200",
        "libhdf5.so",
        "/usr/lib/x86_64-linux-gnu/hdf5/serial/libhdf5.so",
        "hdf5.dll",
        "libhdf5.dylib",
    ];

    private static readonly Lock LoadLock = new();
    private static Hdf5Runtime? _runtime;
    private static nint _nativeHandle;
    private static bool _resolverRegistered;

    /// <summary>Loads the library if needed; throws <see cref="Hdf5LibraryNotFoundException"/> when it cannot.</summary>
    public static void EnsureLoaded() => _ = Runtime;

    /// <summary>The library version, e.g. "1.10.8".</summary>
    public static string Version => Runtime.Version;

    /// <summary>Whether the library was built thread-safe; if not, all calls are serialised by one lock.</summary>
    public static bool IsThreadSafe => Runtime.IsThreadSafe;

    /// <summary>The path or soname the library was loaded from.</summary>
    public static string LoadedFrom => Runtime.LoadedFrom;

    internal static Hdf5Runtime Runtime => Volatile.Read(ref _runtime) ?? Load();

    /// <summary>
    /// The files to try, in order. An explicit <see cref="PathVariable"/> is the only candidate: a wrong
    /// setting must fail loudly rather than silently load some other libhdf5.
    /// </summary>
    internal static IReadOnlyList<string> ResolveCandidates(string? pathVariableValue) =>
        string.IsNullOrWhiteSpace(pathVariableValue) ? DefaultCandidates : [pathVariableValue.Trim()];

    /// <summary>Loads the first candidate that opens; throws <see cref="Hdf5LibraryNotFoundException"/> listing all of them otherwise.</summary>
    internal static (nint Handle, string LoadedFrom) LoadFirst(IReadOnlyList<string> candidates)
    {
        foreach (var candidate in candidates)
        {
            if (NativeLibrary.TryLoad(candidate, out var handle))
            {
                return (handle, candidate);
            }
        }

        throw new Hdf5LibraryNotFoundException(candidates);
    }

    /// <summary>Reads a library global such as <c>H5T_NATIVE_FLOAT_g</c>: the predefined ids are C variables set by H5open.</summary>
    internal static unsafe long ReadGlobalId(string symbol) =>
        *(long*)NativeLibrary.GetExport(Runtime.Handle, symbol);

    private static Hdf5Runtime Load()
    {
        lock (LoadLock)
        {
            if (_runtime is { } loaded)
            {
                return loaded;
            }

            var (handle, loadedFrom) = LoadFirst(ResolveCandidates(Environment.GetEnvironmentVariable(PathVariable)));
            _nativeHandle = handle;
            if (!_resolverRegistered)
            {
                NativeLibrary.SetDllImportResolver(typeof(Hdf5Library).Assembly, (name, assembly, searchPath) => Resolve(name));
                _resolverRegistered = true;
            }

            // No clean-up at process exit: every product is closed before it is published, and closing again a file whose
            // close failed (a full disk) crashes 1.10's exit handler with SIGSEGV. Must come before the first other call.
            _ = NativeMethods.H5dont_atexit();
            if (NativeMethods.H5open() < 0)
            {
                throw new Hdf5Exception("initialising the library", loadedFrom, null, "H5open failed");
            }

            // Errors become exceptions; HDF5 must not also print them to stderr.
            _ = NativeMethods.H5Eset_auto2(NativeMethods.H5E_DEFAULT, 0, 0);
            if (NativeMethods.H5get_libversion(out uint major, out uint minor, out uint release) < 0)
            {
                throw new Hdf5Exception("initialising the library", loadedFrom, null, "H5get_libversion failed");
            }

            if (major < 1 || (major == 1 && minor < 10))
            {
                // Before 1.10 hid_t was 32-bit: this binding would corrupt memory.
                throw new NotSupportedException(
                    string.Create(CultureInfo.InvariantCulture, $"HDF5 {major}.{minor}.{release} loaded from {loadedFrom} is too old; Scanflow needs HDF5 1.10 or later."));
            }

            // If the question cannot be answered, assume the worst and serialise.
            bool threadSafe = NativeMethods.H5is_library_threadsafe(out byte answer) >= 0 && answer != 0;
            var runtime = new Hdf5Runtime(
                handle,
                loadedFrom,
                string.Create(CultureInfo.InvariantCulture, $"{major}.{minor}.{release}"),
                threadSafe);
            Volatile.Write(ref _runtime, runtime);
            return runtime;
        }
    }

    // Other native names of this assembly fall through to the default search.
    private static nint Resolve(string libraryName) =>
        libraryName == NativeMethods.Library ? _nativeHandle : IntPtr.Zero;
}

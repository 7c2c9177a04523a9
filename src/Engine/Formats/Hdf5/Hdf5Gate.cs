namespace Scanflow.Engine.Formats.Hdf5;

/// <summary>
/// The one door to the native library. A serial (non-thread-safe) HDF5 build keeps global state
/// (id tables, the error stack, caches), so every native call sequence runs under one process-wide
/// lock; a thread-safe build locks internally and the gate lets calls through.
/// </summary>
internal static class Hdf5Gate
{
    private static readonly Lock SerialLock = new();

    // Thread-safe builds keep the error-printing switch per thread, so each thread turns it off once.
    [ThreadStatic]
    private static bool _errorPrintingOffOnThisThread;

    /// <summary>
    /// Takes the lock even when the library is thread-safe (Debian's libhdf5_serial 1.10.8 is), so tests
    /// can exercise the serialised path. Safe to flip at any time: each scope releases what it took.
    /// </summary>
    internal static bool SerialiseEvenIfThreadSafe { get; set; }

    /// <summary>Enters the gate (loading the library on first use). Dispose the scope to leave; the lock is re-entrant.</summary>
    internal static Hdf5GateScope Enter()
    {
        var runtime = Hdf5Library.Runtime;
        if (runtime.IsThreadSafe && !_errorPrintingOffOnThisThread)
        {
            _ = NativeMethods.H5Eset_auto2(NativeMethods.H5E_DEFAULT, 0, 0);
            _errorPrintingOffOnThisThread = true;
        }

        if (!runtime.IsThreadSafe || SerialiseEvenIfThreadSafe)
        {
            SerialLock.Enter();
            return new Hdf5GateScope(SerialLock);
        }

        return default;
    }
}

namespace Scanflow.Engine.Formats.Hdf5;

/// <summary>Holds the process-wide HDF5 lock (or nothing, for a thread-safe library) until disposed.</summary>
internal readonly ref struct Hdf5GateScope
{
    private readonly Lock? _held;

    internal Hdf5GateScope(Lock? held) => _held = held;

    public void Dispose() => _held?.Exit();
}

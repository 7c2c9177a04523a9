namespace Scanflow.Engine.Formats.Hdf5;

/// <summary>The loaded native library: where it came from and what it can do.</summary>
internal sealed record Hdf5Runtime(nint Handle, string LoadedFrom, string Version, bool IsThreadSafe);

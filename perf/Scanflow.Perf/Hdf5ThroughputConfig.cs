using BenchmarkDotNet.Configs;

namespace Scanflow.Perf;

/// <summary>Adds MB/s and the throughput ratio against the file-copy baseline to the HDF5 I/O summary.</summary>
internal sealed class Hdf5ThroughputConfig : ManualConfig
{
    public Hdf5ThroughputConfig()
    {
        AddColumn(new ThroughputColumn("MB/s", SimulatedScienceScans.OnBytes / 1e6, "Bytes of ON counts moved per second (10^6 bytes), from the median"));
        AddColumn(new ThroughputRatioColumn());
    }
}

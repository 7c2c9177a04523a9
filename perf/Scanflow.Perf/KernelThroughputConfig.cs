using BenchmarkDotNet.Configs;

namespace Scanflow.Perf;

/// <summary>Adds dumps/s and GB/s of counts (one 64 × 8192 dump per operation) to the kernel summary.</summary>
internal sealed class KernelThroughputConfig : ManualConfig
{
    public KernelThroughputConfig()
    {
        AddColumn(new ThroughputColumn("Dumps/s", 1, "Dumps of 64 pixels × 8192 channels processed per second, from the median"));
        AddColumn(new ThroughputColumn(
            "GB/s", AntennaTemperatureKernelBenchmarks.DumpLength * sizeof(float) / 1e9, "One dump of float32 counts per operation, 10^9 bytes per second, from the median"));
    }
}

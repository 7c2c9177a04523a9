using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using Scanflow.Engine.Formats;
using Scanflow.Engine.Formats.Hdf5;

namespace Scanflow.Perf;

/// <summary>
/// Raw-scan read and L1-like write throughput of the HDF5 binding on a ~500 MB scan, each beside a plain
/// <see cref="FileStream"/> moving the same number of bytes in the same block size in the same run (the baseline of
/// its category). Neither write is fsynced: both end when the file is closed, so both measure the page cache.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 15)]
[Config(typeof(Hdf5ThroughputConfig))]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class Hdf5ThroughputBenchmarks
{
    /// <summary>About 32 MiB of counts per block, as <c>ScienceScanCalibrator.DefaultBlockBytes</c>.</summary>
    public const int BlockDumps = 64;

    private const string Read = "Read";
    private const string Write = "Write";
    private const int DumpLength = SimulatedScienceScans.Pixels * SimulatedScienceScans.Channels;
    private const long DumpBytes = DumpLength * sizeof(float);

    private float[] _block = [];
    private string _scanPath = "";
    private string _contiguousScanPath = "";
    private string _outputPath = "";

    /// <summary>Raw layout read; the written L1-like dataset uses the matching storage (chunks of dumps as <see cref="L1Writer"/>).</summary>
    [ParamsAllValues]
    public RawLayout Layout { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _scanPath = SimulatedScienceScans.Ensure(Layout);
        _contiguousScanPath = SimulatedScienceScans.Ensure(RawLayout.Contiguous);
        _block = GC.AllocateUninitializedArray<float>(BlockDumps * DumpLength, pinned: true);

        // The written blocks are real counts, so gzip compresses them as it would an L1 of this scan.
        using (var reader = ScienceScanReader.Open(_scanPath))
        {
            reader.ReadOnDumps(0, BlockDumps, _block);
        }

        var output = Path.Combine(SimulatedScienceScans.Root, "out");
        Directory.CreateDirectory(output);
        _outputPath = Path.Combine(output, $"l1-like-{Layout}.h5");
        File.Delete(_outputPath);
    }

    [IterationCleanup]
    public void RemoveOutput() => File.Delete(_outputPath);

    /// <summary>Sequential read of the scan file's first ON-count bytes into the same 32 MiB buffer (contiguous file
    /// for every layout, so every baseline moves the same bytes).</summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory(Read)]
    public long FileStreamRead()
    {
        var buffer = MemoryMarshal.AsBytes(_block.AsSpan());
        using var stream = new FileStream(_contiguousScanPath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
        long total = 0;
        while (total < SimulatedScienceScans.OnBytes)
        {
            var wanted = (int)Math.Min(buffer.Length, SimulatedScienceScans.OnBytes - total);
            stream.ReadExactly(buffer[..wanted]);
            total += wanted;
        }

        return total;
    }

    /// <summary>All ON dumps through <see cref="ScienceScanReader.ReadOnDumps"/> in 64-dump blocks, as the calibrator reads.</summary>
    [Benchmark]
    [BenchmarkCategory(Read)]
    public long ReadOnDumps()
    {
        using var reader = ScienceScanReader.Open(_scanPath);
        long total = 0;
        for (var first = 0; first < SimulatedScienceScans.OnDumps; first += BlockDumps)
        {
            var count = Math.Min(BlockDumps, SimulatedScienceScans.OnDumps - first);
            reader.ReadOnDumps(first, count, _block);
            total += count * DumpBytes;
        }

        return total;
    }

    /// <summary>The same number of bytes written in the same blocks to a new file, closed but not fsynced.</summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory(Write)]
    public long FileStreamWrite()
    {
        var buffer = MemoryMarshal.AsBytes(_block.AsSpan());
        using var stream = new FileStream(_outputPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0);
        long total = 0;
        while (total < SimulatedScienceScans.OnBytes)
        {
            var length = (int)Math.Min(buffer.Length, SimulatedScienceScans.OnBytes - total);
            stream.Write(buffer[..length]);
            total += length;
        }

        return total;
    }

    /// <summary>An L1-like float32 [n, P, K] dataset written block by block with the binding, closed but not fsynced.
    /// Chunked layouts use <see cref="L1Writer"/>'s chunk shape and chunk cache.</summary>
    [Benchmark]
    [BenchmarkCategory(Write)]
    public long WriteDumps()
    {
        const int pixels = SimulatedScienceScans.Pixels;
        const int channels = SimulatedScienceScans.Channels;
        const int dumps = SimulatedScienceScans.OnDumps;
        var chunkDumps = (int)Math.Clamp(L1Writer.TargetChunkBytes / DumpBytes, 1, dumps);
        long[] chunk = [chunkDumps, pixels, channels];
        var storage = Layout switch
        {
            RawLayout.Chunked => Hdf5Storage.Chunked(chunk),
            RawLayout.Gzip => Hdf5Storage.Gzip(chunk, level: 4, shuffle: true),
            _ => Hdf5Storage.Contiguous,
        };

        using var file = Hdf5File.Create(_outputPath);
        using var taStar = file.CreateDataset<float>("ta_star", [dumps, pixels, channels], storage, (2 * chunkDumps * DumpBytes) + (1 << 20));
        long total = 0;
        for (var first = 0; first < dumps; first += BlockDumps)
        {
            var count = Math.Min(BlockDumps, dumps - first);
            taStar.Write<float>(_block.AsSpan(0, count * DumpLength), [first, 0, 0], [count, pixels, channels]);
            total += count * DumpBytes;
        }

        return total;
    }
}

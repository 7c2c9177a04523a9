using Scanflow.Engine.Formats.Hdf5;

namespace Scanflow.Engine.Tests.Formats.Hdf5;

public sealed class Hdf5LibraryTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Version_is_a_1_x_release_and_thread_safety_and_origin_are_reported()
    {
        Hdf5Library.EnsureLoaded();

        Assert.StartsWith("1.", Hdf5Library.Version, StringComparison.Ordinal);
        Assert.Matches(@"^1\.\d+\.\d+$", Hdf5Library.Version);
        Assert.False(string.IsNullOrEmpty(Hdf5Library.LoadedFrom));
        // Debian's libhdf5_serial is built without thread safety; whatever the build, the flag must be readable.
        _ = Hdf5Library.IsThreadSafe;
    }

    [Fact]
    public void ResolveCandidates_uses_only_the_path_in_SCANFLOW_HDF5_LIBRARY_when_it_is_set()
    {
        Assert.Equal(["/opt/hdf5/lib/libhdf5.so"], Hdf5Library.ResolveCandidates(" /opt/hdf5/lib/libhdf5.so "));

        var defaults = Hdf5Library.ResolveCandidates(null);
        Assert.Equal("libhdf5_serial.so.103", defaults[0]);
        Assert.Contains("libhdf5.so.310", defaults);
        Assert.Contains("hdf5.dll", defaults);
        Assert.Contains("libhdf5.dylib", defaults);
        Assert.Equal(defaults, Hdf5Library.ResolveCandidates(string.Empty));
    }

    [Fact]
    public void LoadFirst_with_a_non_existent_SCANFLOW_HDF5_LIBRARY_explains_how_to_install_or_configure()
    {
        var missing = _folder.Combine("libhdf5-missing.so");

        var error = Assert.Throws<Hdf5LibraryNotFoundException>(() => Hdf5Library.LoadFirst(Hdf5Library.ResolveCandidates(missing)));

        Assert.Equal(
            $"The HDF5 C library was not found (tried: {missing}). Install it (Debian: apt-get install libhdf5-103-1) or set SCANFLOW_HDF5_LIBRARY to the path of libhdf5.",
            error.Message);
        Assert.Equal([missing], error.Tried);
        // The process-wide library is untouched.
        Assert.StartsWith("1.", Hdf5Library.Version, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Concurrent_reads_from_four_threads_on_separate_files_return_each_files_data(bool serialise)
    {
        const int Files = 4;
        const int Dumps = 200;
        const int Channels = 512;
        var paths = new string[Files];
        for (int f = 0; f < Files; f++)
        {
            paths[f] = _folder.Combine($"thread{f}.h5");
            using var file = Hdf5File.Create(paths[f]);
            using var dataset = file.CreateDataset<float>("counts", [Dumps, Channels], f % 2 == 0 ? Hdf5Storage.Contiguous : Hdf5Storage.Gzip([1, Channels]));
            var row = new float[Channels];
            for (int dump = 0; dump < Dumps; dump++)
            {
                Array.Fill(row, Value(f, dump));
                dataset.Write<float>(row, [dump, 0], [1, Channels]);
            }

            file.WriteAttribute("file_index", f);
        }

        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        // Debian's library is thread-safe, so the process-wide lock is only taken when forced.
        Hdf5Gate.SerialiseEvenIfThreadSafe = serialise || !Hdf5Library.IsThreadSafe;
        try
        {
            ReadInParallel(paths, failures);
        }
        finally
        {
            Hdf5Gate.SerialiseEvenIfThreadSafe = false;
        }

        Assert.Empty(failures);
    }

    private static void ReadInParallel(string[] paths, System.Collections.Concurrent.ConcurrentBag<string> failures)
    {
        const int Files = 4;
        const int Dumps = 200;
        const int Channels = 512;
        Parallel.For(0, Files, new ParallelOptions { MaxDegreeOfParallelism = Files }, f =>
        {
            for (int pass = 0; pass < 5; pass++)
            {
                using var file = Hdf5File.OpenRead(paths[f]);
                using var dataset = file.OpenDataset("counts", chunkCacheBytes: 1 << 20);
                var row = new float[Channels];
                for (int dump = 0; dump < Dumps; dump++)
                {
                    dataset.Read<float>(row, [dump, 0], [1, Channels]);
                    if (row[0] != Value(f, dump) || row[^1] != Value(f, dump))
                    {
                        failures.Add($"file {f} dump {dump}: {row[0]}");
                    }
                }

                if (file.ReadInt64Attribute("file_index") != f)
                {
                    failures.Add($"file {f}: wrong attribute");
                }
            }
        });
    }

    private static float Value(int file, int dump) => (file * 10_000) + dump;
}

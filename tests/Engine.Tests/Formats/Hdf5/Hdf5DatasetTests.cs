using Scanflow.Engine.Formats.Hdf5;

namespace Scanflow.Engine.Tests.Formats.Hdf5;

public sealed class Hdf5DatasetTests : IDisposable
{
    private const int Dumps = 10;
    private const int Pixels = 3;
    private const int Channels = 16;

    private readonly TempDirectory _folder = new();

    public static TheoryData<string> Storages => ["contiguous", "chunked", "gzip"];

    public void Dispose() => _folder.Dispose();

    [Theory]
    [MemberData(nameof(Storages))]
    public void Blocks_of_dumps_written_by_hyperslab_read_back_by_hyperslab_and_whole(string storageName)
    {
        var path = _folder.Combine($"{storageName}.h5");
        long[] shape = [Dumps, Pixels, Channels];
        var storage = StorageNamed(storageName);
        var expected = Spectra();

        using (var file = Hdf5File.Create(path))
        {
            using var dataset = file.CreateDataset<float>("on/counts", shape, storage, chunkCacheBytes: 1 << 20);
            // Blocks of 4 dumps, the last one short: exercises the cached memory dataspace changing shape.
            for (int first = 0; first < Dumps; first += 4)
            {
                int dumps = Math.Min(4, Dumps - first);
                var block = expected.AsSpan(first * Pixels * Channels, dumps * Pixels * Channels);
                dataset.Write<float>(block, [first, 0, 0], [dumps, Pixels, Channels]);
            }
        }

        using (var file = Hdf5File.OpenRead(path))
        {
            Assert.True(file.Contains("on/counts"));
            using var dataset = file.OpenDataset("/on/counts", chunkCacheBytes: 4 << 20);
            Assert.Equal("/on/counts", dataset.ObjectPath);
            Assert.Equal(shape, dataset.Dimensions);
            Assert.Equal(storage.ChunkDimensions, dataset.ChunkDimensions);
            Assert.Equal(Hdf5ElementKind.Float32, dataset.ElementKind);
            Assert.Equal(expected, dataset.ReadAll<float>());

            var block = new float[3 * Pixels * Channels];
            dataset.Read<float>(block, [5, 0, 0], [3, Pixels, Channels]);
            Assert.Equal(expected.AsSpan(5 * Pixels * Channels, block.Length).ToArray(), block);

            // One pixel's spectra across dumps: a strided selection in the file.
            var pixel = new float[Dumps * Channels];
            dataset.Read<float>(pixel, [0, 1, 0], [Dumps, 1, Channels]);
            for (int dump = 0; dump < Dumps; dump++)
            {
                Assert.Equal(expected.AsSpan(((dump * Pixels) + 1) * Channels, Channels).ToArray(), pixel.AsSpan(dump * Channels, Channels).ToArray());
            }
        }
    }

    /// <summary>Regression: the reopen that applies the cache once ran while the first handle was open, so HDF5 kept
    /// its default 1 MiB cache; and unfiltered chunks must bypass the cache (no extra copy).</summary>
    [Fact]
    public void OpenDataset_gives_filtered_data_the_requested_chunk_cache_and_unfiltered_data_none()
    {
        var path = _folder.Combine("caches.h5");
        using (var file = Hdf5File.Create(path))
        {
            file.CreateDataset<float>("gzip", [Dumps, Pixels, Channels], Hdf5Storage.Gzip([1, Pixels, Channels])).Dispose();
            file.CreateDataset<float>("chunked", [Dumps, Pixels, Channels], Hdf5Storage.Chunked(1, Pixels, Channels)).Dispose();
        }

        using var reopened = Hdf5File.OpenRead(path);
        using var gzip = reopened.OpenDataset("gzip", chunkCacheBytes: 8 << 20);
        using var chunked = reopened.OpenDataset("chunked", chunkCacheBytes: 8 << 20);

        Assert.Equal(8 << 20, gzip.ChunkCacheBytes);
        Assert.Equal(0, chunked.ChunkCacheBytes);
    }

    [Fact]
    public void WriteDataset_and_ReadDataset_round_trip_every_supported_element_type()
    {
        var path = _folder.Combine("types.h5");
        using (var file = Hdf5File.Create(path))
        {
            file.WriteDataset<float>("f32", [1.5f, -2f], [2]);
            file.WriteDataset<double>("f64", [Math.PI, -0.0], [2]);
            file.WriteDataset<sbyte>("i8", [sbyte.MinValue, 1], [2]);
            file.WriteDataset<byte>("u8", [byte.MaxValue, 1], [2]);
            file.WriteDataset<short>("i16", [short.MinValue, 1], [2]);
            file.WriteDataset<ushort>("u16", [ushort.MaxValue, 1], [2]);
            file.WriteDataset<int>("i32", [int.MinValue, 1], [2]);
            file.WriteDataset<uint>("u32", [uint.MaxValue, 1], [2]);
            file.WriteDataset<long>("i64", [long.MinValue, 1, 2, 3, 4, 5], [2, 3]);
            file.WriteDataset<ulong>("u64", [ulong.MaxValue, 1], [2]);
        }

        using var reopened = Hdf5File.OpenRead(path);
        Assert.Equal([1.5f, -2f], reopened.ReadDataset<float>("f32"));
        Assert.Equal([Math.PI, -0.0], reopened.ReadDataset<double>("f64"));
        Assert.Equal([sbyte.MinValue, (sbyte)1], reopened.ReadDataset<sbyte>("i8"));
        Assert.Equal([byte.MaxValue, (byte)1], reopened.ReadDataset<byte>("u8"));
        Assert.Equal([short.MinValue, (short)1], reopened.ReadDataset<short>("i16"));
        Assert.Equal([ushort.MaxValue, (ushort)1], reopened.ReadDataset<ushort>("u16"));
        Assert.Equal([int.MinValue, 1], reopened.ReadDataset<int>("i32"));
        Assert.Equal([uint.MaxValue, 1u], reopened.ReadDataset<uint>("u32"));
        Assert.Equal([long.MinValue, 1, 2, 3, 4, 5], reopened.ReadDataset<long>("i64"));
        Assert.Equal([ulong.MaxValue, 1ul], reopened.ReadDataset<ulong>("u64"));
        // HDF5 converts on read: file int32 read as double.
        Assert.Equal([int.MinValue, 1.0], reopened.ReadDataset<double>("i32"));

        string[] names = ["f32", "f64", "i8", "u8", "i16", "u16", "i32", "u32", "i64", "u64"];
        Hdf5ElementKind[] kinds =
        [
            Hdf5ElementKind.Float32, Hdf5ElementKind.Float64, Hdf5ElementKind.Int8, Hdf5ElementKind.UInt8,
            Hdf5ElementKind.Int16, Hdf5ElementKind.UInt16, Hdf5ElementKind.Int32, Hdf5ElementKind.UInt32,
            Hdf5ElementKind.Int64, Hdf5ElementKind.UInt64,
        ];
        for (int i = 0; i < names.Length; i++)
        {
            using var dataset = reopened.OpenDataset(names[i]);
            Assert.Equal(kinds[i], dataset.ElementKind);
            Assert.Null(dataset.ChunkDimensions);
        }
    }

    [Fact]
    public void Read_rejects_a_destination_of_the_wrong_length_and_blocks_outside_the_extent()
    {
        using var file = Hdf5File.Create(_folder.Combine("bounds.h5"));
        using var dataset = file.CreateDataset<float>("x", [4, 2], Hdf5Storage.Contiguous);

        Assert.Throws<ArgumentException>(() => dataset.Read<float>(new float[3], [0, 0], [2, 2]));
        Assert.Throws<ArgumentOutOfRangeException>(() => dataset.Read<float>(new float[4], [3, 0], [2, 2]));
        Assert.Throws<ArgumentException>(() => dataset.Read<float>(new float[4], [0], [4]));
    }

    [Fact]
    public void CreateDataset_rejects_unsupported_element_types_and_filters_without_chunks()
    {
        using var file = Hdf5File.Create(_folder.Combine("reject.h5"));

        Assert.Throws<NotSupportedException>(() => file.CreateDataset<decimal>("d", [2], Hdf5Storage.Contiguous));
        Assert.Throws<ArgumentException>(() => file.CreateDataset<float>("g", [2], new Hdf5Storage(GzipLevel: 4)));
        Assert.Throws<ArgumentException>(() => file.CreateDataset<float>("c", [2, 2], Hdf5Storage.Chunked(1)));
        Assert.False(file.Contains("d"));
    }

    [Fact]
    public void Contains_checks_every_level_of_a_path()
    {
        using var file = Hdf5File.Create(_folder.Combine("links.h5"));
        using (var group = file.CreateGroup("cal/hot"))
        {
            group.WriteDataset<int>("counts", [1], [1]);
            Assert.True(group.Contains("counts"));
            Assert.True(group.Contains("/cal/hot/counts"));
        }

        Assert.True(file.Contains("cal"));
        Assert.True(file.Contains("cal/hot/counts"));
        Assert.False(file.Contains("cal/cold"));
        Assert.False(file.Contains("sky/hot"));
        Assert.False(file.Contains("cal/hot/counts/deeper"));
    }

    [Fact]
    public void Group_and_dataset_report_their_path_and_file()
    {
        var path = _folder.Combine("paths.h5");
        using var file = Hdf5File.Create(path);
        using var group = file.CreateGroup("on");
        using var dataset = group.CreateDataset<double>("tsys", [2], Hdf5Storage.Contiguous);

        Assert.Equal("/", file.ObjectPath);
        Assert.Equal("/on", group.ObjectPath);
        Assert.Equal("/on/tsys", dataset.ObjectPath);
        Assert.Equal(path, dataset.FilePath);
        Assert.Equal(path, file.FilePath);
    }

    private static Hdf5Storage StorageNamed(string name) => name switch
    {
        "contiguous" => Hdf5Storage.Contiguous,
        "chunked" => Hdf5Storage.Chunked(1, Pixels, Channels),
        _ => Hdf5Storage.Gzip([1, Pixels, Channels]),
    };

    private static float[] Spectra()
    {
        var values = new float[Dumps * Pixels * Channels];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (i * 0.5f) - 100f;
        }

        return values;
    }
}

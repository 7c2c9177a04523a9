using Scanflow.Engine.Formats.Hdf5;

namespace Scanflow.Engine.Tests.Formats.Hdf5;

/// <summary>Files written by h5py, an independent HDF5 writer, read through the binding.</summary>
public sealed class Hdf5IndependentWriterTests : IDisposable
{
    private const string WriteWithH5py = """
        import sys
        import h5py
        import numpy as np

        path = sys.argv[1] + "/h5py.h5"
        spectra = (np.arange(10 * 3 * 16, dtype=np.float32).reshape(10, 3, 16) * 0.5) - 100
        with h5py.File(path, "w") as f:
            f.create_dataset("contiguous", data=spectra)
            f.create_dataset("chunked", data=spectra, chunks=(1, 3, 16))
            f.create_dataset("gzip", data=spectra, chunks=(1, 3, 16), compression="gzip", compression_opts=4, shuffle=True)
            f.create_dataset("ints", data=np.arange(6, dtype=np.int64).reshape(2, 3))
            f.create_dataset("u16", data=np.array([1, 65535], dtype=np.uint16))
            f.create_dataset("f64", data=np.array([0.25, -1e300]))

            f.attrs["vlen"] = "science"
            f.attrs["vlen_utf8"] = "Tₐ* – K"
            f.attrs.create("vlen_ascii", "LO", dtype=h5py.string_dtype("ascii"))
            f.attrs["fixed_bytes"] = np.bytes_("LFA")
            f.attrs.create("fixed10", "HFA", dtype=h5py.string_dtype("ascii", 10))
            f.attrs.create("fixed_utf8", "Tₐ".encode(), dtype=h5py.string_dtype("utf-8", 12))
            f.attrs.create("fixed_one", [b"USB"], dtype=h5py.string_dtype("ascii", 4))
            f.attrs["vlen_array"] = ["on", "off", "Tₐ"]
            f.attrs["fixed_array"] = np.array([b"hot", b"cold", b"sky"], dtype="S4")
            f.attrs["i32"] = np.int32(-7)
            f.attrs["i64"] = np.int64(2**40)
            f.attrs["u8"] = np.uint8(200)
            f.attrs["f32"] = np.float32(1.5)
            f.attrs["f64"] = np.float64(2.25)
            f.attrs["i64_array"] = np.array([1, -2, 3], dtype=np.int64)
            f.attrs["i32_array"] = np.array([5, 6], dtype=np.int32)
            f.attrs["i16_one"] = np.array([9], dtype=np.int16)

            # Space padding, as Fortran and IDL writers use: needs the low-level API.
            padded = h5py.h5t.C_S1.copy()
            padded.set_size(8)
            padded.set_strpad(h5py.h5t.STR_SPACEPAD)
            attribute = h5py.h5a.create(f.id, b"spacepad", padded, h5py.h5s.create(h5py.h5s.SCALAR))
            attribute.write(np.array(b"DSB     ", dtype="S8"), mtype=padded)

            on = f.create_group("on")
            on.attrs["band"] = "LFA"
            on.create_dataset("counts", data=spectra[:2], chunks=(1, 3, 16), compression="gzip", shuffle=True)
        """;

    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Datasets_written_by_h5py_read_back_in_all_three_storages_and_by_hyperslab()
    {
        using var file = WrittenByH5py();
        var expected = Enumerable.Range(0, 10 * 3 * 16).Select(i => (i * 0.5f) - 100f).ToArray();

        foreach (var (name, chunks) in new (string, long[]?)[] { ("contiguous", null), ("chunked", [1, 3, 16]), ("gzip", [1, 3, 16]) })
        {
            using var dataset = file.OpenDataset(name, chunkCacheBytes: 1 << 20);
            Assert.Equal([10L, 3, 16], dataset.Dimensions);
            Assert.Equal(chunks, dataset.ChunkDimensions);
            Assert.Equal(Hdf5ElementKind.Float32, dataset.ElementKind);
            Assert.Equal(expected, dataset.ReadAll<float>());

            var block = new float[4 * 3 * 16];
            dataset.Read<float>(block, [6, 0, 0], [4, 3, 16]);
            Assert.Equal(expected[(6 * 48)..], block);
        }

        Assert.Equal([0L, 1, 2, 3, 4, 5], file.ReadDataset<long>("ints"));
        Assert.Equal([0.0, 1, 2, 3, 4, 5], file.ReadDataset<double>("ints"));
        Assert.Equal([(ushort)1, ushort.MaxValue], file.ReadDataset<ushort>("u16"));
        Assert.Equal([0.25, -1e300], file.ReadDataset<double>("f64"));
        using (var ints = file.OpenDataset("ints"))
        {
            Assert.Equal(Hdf5ElementKind.Int64, ints.ElementKind);
        }

        using (var u16 = file.OpenDataset("u16"))
        {
            Assert.Equal(Hdf5ElementKind.UInt16, u16.ElementKind);
        }

        Assert.Equal(expected[..96], file.ReadDataset<float>("on/counts"));
    }

    [Fact]
    public void ReadStringAttribute_reads_fixed_and_variable_length_strings_written_by_h5py()
    {
        using var file = WrittenByH5py();

        Assert.Equal("science", file.ReadStringAttribute("vlen"));
        Assert.Equal("Tₐ* – K", file.ReadStringAttribute("vlen_utf8"));
        Assert.Equal("LO", file.ReadStringAttribute("vlen_ascii"));
        Assert.Equal("LFA", file.ReadStringAttribute("fixed_bytes"));
        Assert.Equal("HFA", file.ReadStringAttribute("fixed10"));
        Assert.Equal("Tₐ", file.ReadStringAttribute("fixed_utf8"));
        Assert.Equal("USB", file.ReadStringAttribute("fixed_one"));
        Assert.Equal("DSB", file.ReadStringAttribute("spacepad"));
        Assert.Equal(["on", "off", "Tₐ"], file.ReadStringArrayAttribute("vlen_array"));
        Assert.Equal(["hot", "cold", "sky"], file.ReadStringArrayAttribute("fixed_array"));
        using var on = file.OpenGroup("on");
        Assert.Equal("LFA", on.ReadStringAttribute("band"));
    }

    [Fact]
    public void Numeric_attributes_written_by_h5py_convert_to_double_and_int64()
    {
        using var file = WrittenByH5py();

        Assert.Equal(-7, file.ReadInt64Attribute("i32"));
        Assert.Equal(1L << 40, file.ReadInt64Attribute("i64"));
        Assert.Equal(200, file.ReadInt64Attribute("u8"));
        Assert.Equal(1.5, file.ReadDoubleAttribute("f32"));
        Assert.Equal(2.25, file.ReadDoubleAttribute("f64"));
        Assert.Equal(-7.0, file.ReadDoubleAttribute("i32"));
        Assert.Equal(9, file.ReadInt64Attribute("i16_one"));
        Assert.Equal([1L, -2, 3], file.ReadInt64ArrayAttribute("i64_array"));
        Assert.Equal([5L, 6], file.ReadInt64ArrayAttribute("i32_array"));
        Assert.Throws<Hdf5Exception>(() => file.ReadInt64Attribute("i64_array"));
    }

    private Hdf5File WrittenByH5py()
    {
        PythonScript.Run(WriteWithH5py, _folder.Path);
        return Hdf5File.OpenRead(_folder.Combine("h5py.h5"));
    }
}

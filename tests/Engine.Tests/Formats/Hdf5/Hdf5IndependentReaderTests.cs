using System.Diagnostics;
using System.Text.Json;
using Scanflow.Engine.Formats.Hdf5;

namespace Scanflow.Engine.Tests.Formats.Hdf5;

/// <summary>Files written through the binding, opened by independent readers: h5py and h5dump.</summary>
public sealed class Hdf5IndependentReaderTests : IDisposable
{
    // Prints every attribute and dataset as JSON: Python type, NumPy dtype, shape and values.
    private const string DescribeWithH5py = """
        import json
        import sys
        import h5py
        import numpy as np

        def value(v):
            if isinstance(v, bytes):
                return v.decode()
            if isinstance(v, np.generic):
                return v.item()
            return v

        def describe(v):
            if isinstance(v, np.ndarray):
                return {"type": "ndarray", "dtype": str(v.dtype), "shape": list(v.shape), "value": [value(x) for x in v.ravel()]}
            return {"type": type(v).__name__, "dtype": str(getattr(v, "dtype", "")), "value": value(v)}

        out = {}
        with h5py.File(sys.argv[1], "r") as f:
            def visit(name, obj):
                if isinstance(obj, h5py.Dataset):
                    data = obj[...]
                    out["/" + name] = {"shape": list(obj.shape), "chunks": obj.chunks, "compression": obj.compression,
                                       "shuffle": obj.shuffle, "dtype": str(obj.dtype), "values": data.ravel().tolist()}
            f.visititems(visit)
            for owner in (f, f["on"], f["on/counts"]):
                for key, v in owner.attrs.items():
                    out[owner.name + "@" + key] = describe(v)
        print(json.dumps(out))
        """;

    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Attributes_written_by_the_binding_come_back_from_h5py_with_the_expected_types()
    {
        var path = WriteSample();

        using var described = JsonDocument.Parse(PythonScript.Run(DescribeWithH5py, path));
        var root = described.RootElement;
        foreach (var owner in new[] { "/", "/on", "/on/counts" })
        {
            AssertAttribute(root, owner, "kind", "str", "science");
            AssertAttribute(root, owner, "unit", "str", "Tₐ* – K");
            AssertAttribute(root, owner, "fixed", "bytes_", "ascii only");
            AssertAttribute(root, owner, "scan_id", "int64", 1234L);
            AssertAttribute(root, owner, "n_pix", "int32", 3L);
            AssertAttribute(root, owner, "tau", "float64", 0.125);

            var bands = Attribute(root, owner, "bands");
            Assert.Equal("ndarray", bands.GetProperty("type").GetString());
            Assert.Equal(["LFA", "HFA", "Tₐ"], bands.GetProperty("value").EnumerateArray().Select(v => v.GetString()!).ToArray());

            var ids = Attribute(root, owner, "dump_ids");
            Assert.Equal("int64", ids.GetProperty("dtype").GetString());
            Assert.Equal([3], ids.GetProperty("shape").EnumerateArray().Select(v => v.GetInt32()).ToArray());
            Assert.Equal([7L, -8, 9_000_000_000], ids.GetProperty("value").EnumerateArray().Select(v => v.GetInt64()).ToArray());

            var none = Attribute(root, owner, "no_ids");
            Assert.Equal("int64", none.GetProperty("dtype").GetString());
            Assert.Equal([0], none.GetProperty("shape").EnumerateArray().Select(v => v.GetInt32()).ToArray());
        }
    }

    [Fact]
    public void Datasets_written_by_the_binding_come_back_from_h5py_in_all_three_storages()
    {
        var path = WriteSample();

        using var described = JsonDocument.Parse(PythonScript.Run(DescribeWithH5py, path));
        var root = described.RootElement;
        var expected = Spectra();
        foreach (var (name, chunked, compression) in new[] { ("/on/counts", false, (string?)null), ("/chunked", true, null), ("/gzip", true, "gzip") })
        {
            var dataset = root.GetProperty(name);
            Assert.Equal("float32", dataset.GetProperty("dtype").GetString());
            Assert.Equal([6, 2, 8], dataset.GetProperty("shape").EnumerateArray().Select(v => v.GetInt32()).ToArray());
            Assert.Equal(chunked ? JsonValueKind.Array : JsonValueKind.Null, dataset.GetProperty("chunks").ValueKind);
            Assert.Equal(compression, dataset.GetProperty("compression").GetString());
            Assert.Equal(compression is not null, dataset.GetProperty("shuffle").GetBoolean());
            Assert.Equal(expected, dataset.GetProperty("values").EnumerateArray().Select(v => v.GetSingle()).ToArray());
        }

        Assert.Equal([1.0, 2, 3, 4], root.GetProperty("/small").GetProperty("values").EnumerateArray().Select(v => v.GetDouble()).ToArray());
    }

    [Fact]
    public async Task H5dump_reads_the_header_of_a_file_written_by_the_binding()
    {
        var path = WriteSample();

        var start = new ProcessStartInfo("h5dump") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-H");
        start.ArgumentList.Add(path);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var header = await stdout;

        Assert.True(process.ExitCode == 0, $"h5dump -H exited with {process.ExitCode}: {await stderr}");
        Assert.Contains("DATASET \"counts\"", header, StringComparison.Ordinal);
        Assert.Contains("DATASET \"gzip\"", header, StringComparison.Ordinal);
        Assert.Contains("ATTRIBUTE \"bands\"", header, StringComparison.Ordinal);
    }

    private static void AssertAttribute<T>(JsonElement root, string owner, string name, string type, T expected)
    {
        var attribute = Attribute(root, owner, name);
        Assert.Equal(type, attribute.GetProperty("type").GetString());
        var value = attribute.GetProperty("value");
        object actual = expected switch
        {
            string => value.GetString()!,
            long => value.GetInt64(),
            double => value.GetDouble(),
            _ => throw new NotSupportedException(),
        };
        Assert.Equal(expected, actual);
    }

    private static JsonElement Attribute(JsonElement root, string owner, string name) =>
        root.GetProperty($"{owner}@{name}");

    private static float[] Spectra() =>
        Enumerable.Range(0, 6 * 2 * 8).Select(i => (i * 0.25f) - 3f).ToArray();

    private string WriteSample()
    {
        var path = _folder.Combine("binding.h5");
        var spectra = Spectra();
        using var file = Hdf5File.Create(path);
        using var on = file.CreateGroup("on");
        using var counts = on.CreateDataset<float>("counts", [6, 2, 8], Hdf5Storage.Contiguous);
        using var chunked = file.CreateDataset<float>("chunked", [6, 2, 8], Hdf5Storage.Chunked(1, 2, 8));
        using var gzip = file.CreateDataset<float>("gzip", [6, 2, 8], Hdf5Storage.Gzip([2, 2, 8]));
        foreach (var dataset in new[] { counts, chunked, gzip })
        {
            for (int first = 0; first < 6; first += 2)
            {
                dataset.Write<float>(spectra.AsSpan(first * 16, 32), [first, 0, 0], [2, 2, 8]);
            }
        }

        file.WriteDataset<double>("small", [1, 2, 3, 4], [2, 2]);
        foreach (Hdf5Object owner in new Hdf5Object[] { file, on, counts })
        {
            owner.WriteAttribute("kind", "science");
            owner.WriteAttribute("unit", "Tₐ* – K");
            owner.WriteFixedLengthAttribute("fixed", "ascii only");
            owner.WriteAttribute("bands", ["LFA", "HFA", "Tₐ"]);
            owner.WriteAttribute("scan_id", 1234L);
            owner.WriteAttribute("n_pix", 3);
            owner.WriteAttribute("tau", 0.125);
            owner.WriteAttribute("dump_ids", new long[] { 7, -8, 9_000_000_000 });
            owner.WriteAttribute("no_ids", ReadOnlySpan<long>.Empty);
        }

        file.Flush();
        return path;
    }
}

using Scanflow.Engine.Formats.Hdf5;

namespace Scanflow.Engine.Tests.Formats.Hdf5;

public sealed class Hdf5ErrorTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void OpenRead_of_a_truncated_file_throws_Hdf5Exception_naming_the_file()
    {
        var path = _folder.Combine("truncated.h5");
        using (var file = Hdf5File.Create(path))
        {
            file.WriteAttribute("kind", "science");
            file.WriteDataset<float>("counts", new float[64 * 1024], [64, 1024]);
        }

        using (var stream = new FileStream(path, FileMode.Open))
        {
            stream.SetLength(stream.Length / 2);
        }

        var error = Assert.Throws<Hdf5Exception>(() =>
        {
            // Depending on where the cut falls, opening or reading fails; either must name the file.
            using var file = Hdf5File.OpenRead(path);
            file.ReadDataset<float>("counts");
        });
        Assert.Equal(path, error.FilePath);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("H5", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OpenRead_of_a_non_HDF5_file_throws_Hdf5Exception_with_the_error_stack()
    {
        var path = _folder.Combine("not-hdf5.h5");
        File.WriteAllText(path, "scan_id,kind\n1234,science\n");

        var error = Assert.Throws<Hdf5Exception>(() => Hdf5File.OpenRead(path));

        Assert.Equal(path, error.FilePath);
        Assert.Null(error.ObjectPath);
        Assert.Equal("opening file", error.Operation);
        Assert.StartsWith($"HDF5 error opening file '{path}': H5Fopen failed: ", error.Message, StringComparison.Ordinal);
        // The innermost cause comes last.
        Assert.EndsWith("file signature not found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OpenRead_of_a_missing_file_throws_Hdf5Exception_naming_it()
    {
        var path = _folder.Combine("absent.h5");

        var error = Assert.Throws<Hdf5Exception>(() => Hdf5File.OpenRead(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_refuses_to_overwrite_an_existing_file()
    {
        var path = _folder.Combine("exists.h5");
        Hdf5File.Create(path).Dispose();

        var error = Assert.Throws<Hdf5Exception>(() => Hdf5File.Create(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reading_a_missing_attribute_throws_Hdf5Exception_naming_attribute_and_object()
    {
        var path = _folder.Combine("attribute.h5");
        using var file = Hdf5File.Create(path);
        using var group = file.CreateGroup("on");

        var error = Assert.Throws<Hdf5Exception>(() => group.ReadStringAttribute("band"));

        Assert.Equal("/on", error.ObjectPath);
        Assert.StartsWith($"HDF5 error reading attribute 'band' of '/on' in '{path}': H5Aopen failed: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reading_a_missing_dataset_throws_Hdf5Exception_naming_the_dataset()
    {
        var path = _folder.Combine("dataset.h5");
        using var file = Hdf5File.Create(path);
        using var group = file.CreateGroup("on");

        var error = Assert.Throws<Hdf5Exception>(() => group.ReadDataset<float>("counts"));

        Assert.Equal("/on/counts", error.ObjectPath);
        Assert.StartsWith($"HDF5 error opening dataset '/on/counts' in '{path}': H5Dopen2 failed: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("doesn't exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Writing_to_a_file_opened_read_only_throws_Hdf5Exception()
    {
        var path = _folder.Combine("readonly.h5");
        using (var file = Hdf5File.Create(path))
        {
            file.WriteDataset<int>("n", [1, 2], [2]);
        }

        using var reopened = Hdf5File.OpenRead(path);
        using var dataset = reopened.OpenDataset("n");
        var error = Assert.Throws<Hdf5Exception>(() => dataset.Write<int>([3], [0], [1]));
        Assert.Contains("H5Dwrite failed", error.Message, StringComparison.Ordinal);

        // The error stack was cleared: the next call works.
        Assert.Equal([1, 2], dataset.ReadAll<int>());
    }

    [Fact]
    public void A_disposed_object_throws_ObjectDisposedException_instead_of_passing_a_stale_id()
    {
        var file = Hdf5File.Create(_folder.Combine("disposed.h5"));
        file.Dispose();

        Assert.Throws<ObjectDisposedException>(() => file.HasAttribute("kind"));
    }
}

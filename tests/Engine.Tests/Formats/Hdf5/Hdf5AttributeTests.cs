using Scanflow.Engine.Formats.Hdf5;

namespace Scanflow.Engine.Tests.Formats.Hdf5;

public sealed class Hdf5AttributeTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Every_attribute_kind_round_trips_on_root_group_and_dataset()
    {
        var path = _folder.Combine("attributes.h5");
        using (var file = Hdf5File.Create(path))
        {
            using var group = file.CreateGroup("on");
            using var dataset = group.CreateDataset<float>("counts", [2, 3], Hdf5Storage.Contiguous);
            foreach (Hdf5Object owner in new Hdf5Object[] { file, group, dataset })
            {
                owner.WriteAttribute("text", "Tₐ* – kelvin");
                owner.WriteAttribute("texts", new[] { "LFA", "HFA", string.Empty, "üñí" });
                owner.WriteAttribute("double", 273.15);
                owner.WriteAttribute("long", long.MaxValue - 7);
                owner.WriteAttribute("int", -42);
                owner.WriteAttribute("longs", new long[] { 1, -2, 3_000_000_000_000 });
                owner.WriteAttribute("no_longs", ReadOnlySpan<long>.Empty);
                owner.WriteFixedLengthAttribute("fixed", "ascii only");
            }
        }

        using (var file = Hdf5File.OpenRead(path))
        {
            using var group = file.OpenGroup("on");
            using var dataset = group.OpenDataset("counts");
            foreach (Hdf5Object owner in new Hdf5Object[] { file, group, dataset })
            {
                Assert.Equal("Tₐ* – kelvin", owner.ReadStringAttribute("text"));
                Assert.Equal(["LFA", "HFA", string.Empty, "üñí"], owner.ReadStringArrayAttribute("texts"));
                Assert.Equal(273.15, owner.ReadDoubleAttribute("double"));
                Assert.Equal(long.MaxValue - 7, owner.ReadInt64Attribute("long"));
                Assert.Equal(-42, owner.ReadInt64Attribute("int"));
                Assert.Equal(-42.0, owner.ReadDoubleAttribute("int"));
                Assert.Equal([1, -2, 3_000_000_000_000], owner.ReadInt64ArrayAttribute("longs"));
                Assert.Empty(owner.ReadInt64ArrayAttribute("no_longs"));
                Assert.Equal("ascii only", owner.ReadStringAttribute("fixed"));
                Assert.Equal(["ascii only"], owner.ReadStringArrayAttribute("fixed"));
                Assert.True(owner.HasAttribute("fixed"));
                Assert.False(owner.HasAttribute("absent"));
            }
        }
    }

    [Fact]
    public void WriteAttribute_replaces_an_existing_attribute_even_of_another_type()
    {
        var path = _folder.Combine("replace.h5");
        using (var file = Hdf5File.Create(path))
        {
            file.WriteAttribute("format_version", "draft");
            file.WriteAttribute("format_version", 2);
        }

        using var reopened = Hdf5File.OpenRead(path);
        Assert.Equal(2, reopened.ReadInt64Attribute("format_version"));
    }

    [Fact]
    public void ReadStringAttribute_rejects_a_numeric_attribute_naming_it()
    {
        var path = _folder.Combine("numeric.h5");
        using var file = Hdf5File.Create(path);
        file.WriteAttribute("n_dump", 12L);

        var error = Assert.Throws<Hdf5Exception>(() => file.ReadStringAttribute("n_dump"));
        Assert.Contains("'n_dump'", error.Message, StringComparison.Ordinal);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadInt64Attribute_rejects_a_floating_point_attribute()
    {
        var path = _folder.Combine("float.h5");
        using var file = Hdf5File.Create(path);
        file.WriteAttribute("tau", 0.25);

        Assert.Throws<Hdf5Exception>(() => file.ReadInt64Attribute("tau"));
    }

    [Fact]
    public void WriteFixedLengthAttribute_rejects_non_ascii_text()
    {
        using var file = Hdf5File.Create(_folder.Combine("ascii.h5"));

        Assert.Throws<ArgumentException>(() => file.WriteFixedLengthAttribute("unit", "°C"));
    }
}

using Scanflow.Engine.Formats;
using Scanflow.Engine.Ledger;

namespace Scanflow.Engine.Tests.Formats;

/// <summary>Issue 14: a product's QA files go where it goes.</summary>
public sealed class L1ProductFilesTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Sidecars_are_the_qa_json_and_the_plots_of_the_product_not_of_its_set_aside_versions_or_other_scans_14()
    {
        var l1 = Touch("scan_000004_LFA.l1.h5");
        Touch("scan_000004_LFA.qa.json");
        Touch("scan_000004_LFA.tsys.png");
        Touch("scan_000004_LFA.waterfall.png");
        Touch("scan_000004_LFA.v1.l1.h5");
        Touch("scan_000004_LFA.v1.qa.json");
        Touch("scan_000004_LFA.v1.tsys.png");
        Touch("scan_000004_LFA.tsys.png.tmp");
        Touch("scan_000004_HFA.tsys.png");
        Touch("scan_000040_LFA.tsys.png");

        var sidecars = L1FileNaming.Sidecars(l1);

        Assert.Equal(
            [
                (ProductTypes.QaMetric, _directory.Combine("scan_000004_LFA.qa.json")),
                (ProductTypes.Plot, _directory.Combine("scan_000004_LFA.tsys.png")),
                (ProductTypes.Plot, _directory.Combine("scan_000004_LFA.waterfall.png")),
            ],
            sidecars);
    }

    [Fact]
    public void SetAside_moves_the_product_and_its_QA_files_to_the_same_free_version_14()
    {
        var l1 = Touch("scan_000004_LFA.l1.h5", "new product");
        Touch("scan_000004_LFA.qa.json", "new qa");
        Touch("scan_000004_LFA.tsys.png", "new plot");
        Touch("scan_000004_LFA.v1.l1.h5", "older product");
        Touch("scan_000004_LFA.v2.tsys.png", "a stray plot of v2"); // v2 is not free for every file: v3 is used

        var moves = L1ProductFiles.SetAside(l1);

        Assert.Equal(
            [
                (l1, _directory.Combine("scan_000004_LFA.v3.l1.h5")),
                (_directory.Combine("scan_000004_LFA.qa.json"), _directory.Combine("scan_000004_LFA.v3.qa.json")),
                (_directory.Combine("scan_000004_LFA.tsys.png"), _directory.Combine("scan_000004_LFA.v3.tsys.png")),
            ],
            moves);
        Assert.Equal("new product", File.ReadAllText(_directory.Combine("scan_000004_LFA.v3.l1.h5")));
        Assert.Equal("new qa", File.ReadAllText(_directory.Combine("scan_000004_LFA.v3.qa.json")));
        Assert.Equal("new plot", File.ReadAllText(_directory.Combine("scan_000004_LFA.v3.tsys.png")));
        Assert.Equal("older product", File.ReadAllText(_directory.Combine("scan_000004_LFA.v1.l1.h5")));
        Assert.Equal("a stray plot of v2", File.ReadAllText(_directory.Combine("scan_000004_LFA.v2.tsys.png")));
        Assert.Empty(L1FileNaming.Sidecars(l1));
        Assert.False(File.Exists(l1));
    }

    [Fact]
    public void SetAside_of_nothing_moves_nothing_14()
    {
        Assert.Empty(L1ProductFiles.SetAside(_directory.Combine("scan_000004_LFA.l1.h5")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_directory.Path));
    }

    private string Touch(string name, string content = "x")
    {
        var path = _directory.Combine(name);
        File.WriteAllText(path, content);
        return path;
    }
}

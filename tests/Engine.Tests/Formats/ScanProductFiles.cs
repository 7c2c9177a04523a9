using Scanflow.Engine.Model;

namespace Scanflow.Engine.Tests;

/// <summary>The files a successful science scan publishes (issue 14), named here rather than by the product code so a
/// test that lists them checks the names: the L1 file, its QA metrics and its five plots.</summary>
internal static class ScanProductFiles
{
    /// <summary>The kinds of plot, in the order they are drawn.</summary>
    public static readonly string[] PlotKinds = ["tsys", "spectrum", "waterfall", "pwvfit", "radiometer"];

    /// <summary>The QA files and plots beside each L1 file: one <c>.qa.json</c> and five <c>.png</c>.</summary>
    public static int SidecarsPerScan => 1 + PlotKinds.Length;

    /// <summary>The file names of scan <paramref name="scanId"/> in <paramref name="band"/>, in ordinal order.</summary>
    public static string[] Of(long scanId, Band band) => [.. Files(FormattableString.Invariant($"scan_{scanId:D6}_{band.ToString().ToUpperInvariant()}")).Order(StringComparer.Ordinal)];

    /// <summary>The QA files and plots beside the L1 file at <paramref name="l1Path"/>, by path: the <c>.qa.json</c>,
    /// then the plots in the order they are drawn.</summary>
    public static string[] SidecarsOf(string l1Path) => [.. Files(l1Path[..^".l1.h5".Length]).Skip(1)];

    private static IEnumerable<string> Files(string stem) => [stem + ".l1.h5", stem + ".qa.json", .. PlotKinds.Select(k => $"{stem}.{k}.png")];
}

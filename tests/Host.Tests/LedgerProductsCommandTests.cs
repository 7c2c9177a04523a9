using Scanflow.Engine.Formats;
using Scanflow.Engine.Ledger;
using Scanflow.Engine.Model;
using Scanflow.Engine.Tests;

namespace Scanflow.Host.Tests;

/// <summary>Issue 14: <c>scanflow show</c> lists every product of a scan and <c>scanflow verify</c> re-hashes them, against
/// the real process. Scan 2 of the store, calibrated by the real <c>scanflow calibrate</c> (its L1 file, QA file and five
/// plots), is recorded again under another configuration (a second ledger row whose product takes over the path) with a
/// QA file and two plots redrawn beside its L1 and the three other plots as calibrate left them.</summary>
public sealed class LedgerProductsCommandTests : IDisposable
{
    private readonly LedgerStore _store = new();

    public LedgerProductsCommandTests()
    {
        L1 = _store.Products[0];
        Calibrated = ScanProductFiles.SidecarsOf(L1).ToDictionary(f => f, f => (new FileInfo(f).Length, FileChecksum.Sha256(f)));
        using var writer = _store.OpenWriter();
        var claim = _store.Claim(writer, 2, Band.Lfa, Path.Combine(_store.Store, "scan_000002_LFA_tp.h5"), new string('c', 64), L1);
        RowId = claim.RowId;
        writer.Succeeded(
            claim.RowId,
            claim.Attempt,
            L1,
            FileChecksum.Sha256(L1),
            new FileInfo(L1).Length,
            [
                Write(ProductTypes.QaMetric, Qa, """{"pwv_mm": 1.25}"""),
                Write(ProductTypes.Plot, TsysPlot, "tsys plot"),
                Write(ProductTypes.Plot, WaterfallPlot, "waterfall plot"),
                .. UnchangedPlots.Select(p => new ProductFile(ProductTypes.Plot, p, new FileInfo(p).Length, FileChecksum.Sha256(p))),
            ],
            LedgerStore.Stages);
    }

    private string L1 { get; }

    private long RowId { get; }

    /// <summary>Scan 2's QA file and plots as calibrate wrote and recorded them: size and SHA-256 by path.</summary>
    private Dictionary<string, (long Bytes, string Sha256)> Calibrated { get; }

    private string Qa => Path.Combine(_store.Output, "scan_000002_LFA.qa.json");

    private string TsysPlot => Path.Combine(_store.Output, "scan_000002_LFA.tsys.png");

    private string WaterfallPlot => Path.Combine(_store.Output, "scan_000002_LFA.waterfall.png");

    /// <summary>The plots the second row records as calibrate left them, by path.</summary>
    private string[] UnchangedPlots =>
        [Path.Combine(_store.Output, "scan_000002_LFA.pwvfit.png"), Path.Combine(_store.Output, "scan_000002_LFA.radiometer.png"), Path.Combine(_store.Output, "scan_000002_LFA.spectrum.png")];

    public void Dispose() => _store.Dispose();

    [Fact]
    public void Show_lists_the_products_of_each_attempt_with_type_path_size_and_sha256_14()
    {
        var result = ScanflowProcess.Run("show", "2", "--ledger", _store.Ledger);

        Assert.True(result.ExitCode == 0, result.Errors);
        var rows = result.Output.Split("\n\n").Select(r => r.Split('\n').Select(l => l.TrimEnd('\r')).ToList()).ToList();
        Assert.Equal(2, rows.Count);
        Assert.StartsWith("scan 2 LFA (ledger row ", rows[0][0], StringComparison.Ordinal);
        Assert.StartsWith($"scan 2 LFA (ledger row {RowId}): SUCCEEDED", rows[1][0], StringComparison.Ordinal);
        var l1Line = $"    product: SCIENCE {L1} ({new FileInfo(L1).Length} bytes) sha256 {FileChecksum.Sha256(L1)}";
        // Recorded by scanflow calibrate: SCIENCE, QA_METRIC, then the five plots by path, with the sizes and checksums they had then.
        Assert.Equal(
            [
                l1Line,
                CalibratedLine("QA_METRIC", Qa),
                .. Calibrated.Keys.Where(f => f != Qa).Order(StringComparer.Ordinal).Select(f => CalibratedLine("PLOT", f)),
            ],
            Products(rows[0]));
        Assert.Equal(
            [
                l1Line,
                $"    product: QA_METRIC {Qa} ({new FileInfo(Qa).Length} bytes) sha256 {FileChecksum.Sha256(Qa)}",
                .. UnchangedPlots.Select(p => CalibratedLine("PLOT", p)),
                $"    product: PLOT {TsysPlot} (9 bytes) sha256 {FileChecksum.Sha256(TsysPlot)}",
                $"    product: PLOT {WaterfallPlot} (14 bytes) sha256 {FileChecksum.Sha256(WaterfallPlot)}",
            ],
            Products(rows[1]));
    }

    [Fact]
    public void Verify_rehashes_the_QA_files_and_plots_of_the_current_products_14()
    {
        var result = ScanflowProcess.Run("verify", _store.Output);

        // Scan 2's second row and scans 3 and 4 as calibrate recorded them: a QA file and five plots each.
        Assert.True(result.ExitCode == 0, result.Output + result.Errors);
        Assert.Contains($"verified 3 L1 products and {3 * ScanProductFiles.SidecarsPerScan} QA files and plots in {_store.Output}: all match the ledger", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_reports_a_changed_plot_and_a_missing_plot_with_their_type_14()
    {
        var recorded = FileChecksum.Sha256(TsysPlot);
        File.WriteAllText(TsysPlot, "a plot redrawn by hand");
        var missing = FileChecksum.Sha256(WaterfallPlot);
        File.Delete(WaterfallPlot);

        var result = ScanflowProcess.Run("verify", _store.Output);

        Assert.True(result.ExitCode == 2, result.Output + result.Errors);
        Assert.Contains($"MISMATCH  {TsysPlot}: PLOT product, sha256 {FileChecksum.Sha256(TsysPlot)}, the ledger recorded {recorded}", result.Output, StringComparison.Ordinal);
        Assert.Contains($"MISSING   {WaterfallPlot}: PLOT product in the ledger (sha256 {missing}) but not on disk", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(Qa, result.Output, StringComparison.Ordinal);
        Assert.Equal(2, result.Output.Split('\n').Count(l => l.StartsWith("MISMATCH  ", StringComparison.Ordinal) || l.StartsWith("MISSING   ", StringComparison.Ordinal)));
        // 3 L1 files and 18 QA files and plots, less the two plots.
        Assert.Contains($"verified {_store.Output}: {3 + (3 * ScanProductFiles.SidecarsPerScan) - 2} match, 2 problem(s)", result.Output, StringComparison.Ordinal);
    }

    private string CalibratedLine(string type, string path) => $"    product: {type} {path} ({Calibrated[path].Bytes} bytes) sha256 {Calibrated[path].Sha256}";

    /// <summary>The product lines of a row's attempts, which follow each attempt's L1 line.</summary>
    private static List<string> Products(List<string> row) => [.. row.Where(l => l.StartsWith("    product: ", StringComparison.Ordinal))];

    private static ProductFile Write(string type, string path, string content)
    {
        File.WriteAllText(path, content);
        return new ProductFile(type, path, new FileInfo(path).Length, FileChecksum.Sha256(path));
    }
}

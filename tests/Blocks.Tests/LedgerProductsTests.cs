using Scanflow.Engine.Formats;
using Scanflow.Engine.Ledger;
using Scanflow.Engine.Simulation;
using Scanflow.Engine.Tests;

namespace Scanflow.Blocks.Tests;

/// <summary>Issue 14 on the runner's ledger: a scan's QA files are recorded with its L1 file, found again when an
/// interrupted run's product is adopted, and kept with it when a newer product supersedes it.</summary>
public sealed class LedgerProductsTests
{
    /// <summary>The files of one successful scan, as the ledger lists them (SCIENCE, QA_METRIC, then the plots by name).</summary>
    private static readonly string[] Suffixes = ["l1.h5", "qa.json", "pwvfit.png", "radiometer.png", "spectrum.png", "tsys.png", "waterfall.png"];

    private static readonly string[] Types = [ProductTypes.Science, ProductTypes.QaMetric, .. Enumerable.Repeat(ProductTypes.Plot, 5)];

    [Fact]
    public void Record_of_a_success_records_its_quality_products_with_the_L1_file_14()
    {
        using var run = new GraphRun(new SimulationOptions { OutputDirectory = "set-by-GraphRun", Scans = 1, Pixels = 2, Channels = 64, OnDumps = 10, Noise = false });
        var ledgerPath = Path.Combine(run.Output, LedgerWriter.DefaultFileName);
        var scan = run.Scans[0];
        var l1 = L1FileNaming.PathFor(run.Output, scan.Science);
        using (var writer = LedgerWriter.Open(ledgerPath, new LedgerOptions(), TimeProvider.System))
        {
            var ledger = new SqliteScanLedger(writer, run.Output, run.Options().Calibration);
            var input = new FileInfo(scan.Science.FilePath);
            Assert.Equal(ClaimVerdict.Proceed, ledger.Claim(scan, input, FileChecksum.Sha256(input.FullName), [FileChecksum.Sha256(scan.Calibrations[0].FilePath)]));
            File.WriteAllText(l1, "an L1 file");
            var qa = Product(ProductTypes.QaMetric, Sidecar(l1, "qa.json"), "{}");
            var plot = Product(ProductTypes.Plot, Sidecar(l1, "tsys.png"), "png");
            var now = DateTimeOffset.UtcNow;

            ledger.Record(new ScanOutcome
            {
                Scan = scan,
                Status = ScanOutcomeStatus.Succeeded,
                Product = new L1Product(l1, FileChecksum.Sha256(l1), new FileInfo(l1).Length),
                QualityProducts = [qa, plot],
                Started = now,
                Finished = now,
            });
        }

        using var reader = LedgerReader.Open(ledgerPath);
        var row = Assert.Single(reader.Scans());
        Assert.Equal(ScanStatus.Succeeded, row.Status);
        Assert.Equal(
            [(ProductTypes.Science, l1), (ProductTypes.QaMetric, Sidecar(l1, "qa.json")), (ProductTypes.Plot, Sidecar(l1, "tsys.png"))],
            reader.ProductsOf(row.RowId).Select(p => (p.Type, p.Path)));
        Assert.All(reader.ProductsOf(row.RowId), p => Assert.Equal((FileChecksum.Sha256(p.Path), new FileInfo(p.Path).Length), (p.Sha256, p.Bytes)));
    }

    /// <summary>A run died after the L1 file was renamed into place (its QA files were renamed before it) and before the
    /// ledger recorded it: the restart adopts the product and records every file of it, once; a plot's temporary file
    /// is not one of them.</summary>
    [Fact]
    public async Task Adopt_records_the_QA_files_found_beside_an_interrupted_run_s_product_14()
    {
        using var run = new GraphRun(new SimulationOptions { OutputDirectory = "set-by-GraphRun", Scans = 1, Pixels = 2, Channels = 64, OnDumps = 10, Noise = false });
        var ledgerPath = Path.Combine(run.Output, LedgerWriter.DefaultFileName);
        await run.RunAsync(run.Options()); // no ledger: the product and its QA files are in place and recorded nowhere
        var l1 = L1FileNaming.PathFor(run.Output, run.Scans[0].Science);
        Assert.All(ScanProductFiles.SidecarsOf(l1), f => Assert.True(File.Exists(f), f));
        File.WriteAllText(Sidecar(l1, "spectrum.png.tmp"), "a plot that never got renamed");

        var outcome = Assert.Single(await RunAsync(run, ledgerPath));
        var again = Assert.Single(await RunAsync(run, ledgerPath));

        Assert.Equal(ScanOutcomeStatus.Skipped, outcome.Status);
        Assert.Contains("product of an interrupted run recorded", outcome.Error, StringComparison.Ordinal);
        Assert.Equal(ScanOutcomeStatus.Skipped, again.Status);
        using var reader = LedgerReader.Open(ledgerPath);
        var row = Assert.Single(reader.Scans());
        var products = reader.ProductsOf(row.RowId);
        Assert.Equal(
            [
                (1, ProductTypes.Science, l1),
                (1, ProductTypes.QaMetric, Sidecar(l1, "qa.json")),
                (1, ProductTypes.Plot, Sidecar(l1, "pwvfit.png")),
                (1, ProductTypes.Plot, Sidecar(l1, "radiometer.png")),
                (1, ProductTypes.Plot, Sidecar(l1, "spectrum.png")),
                (1, ProductTypes.Plot, Sidecar(l1, "tsys.png")),
                (1, ProductTypes.Plot, Sidecar(l1, "waterfall.png")),
            ],
            products.Select(p => (p.Attempt, p.Type, p.Path)));
        Assert.All(products, p => Assert.Equal((FileChecksum.Sha256(p.Path), new FileInfo(p.Path).Length), (p.Sha256, p.Bytes)));
        Assert.Equal(products.OrderBy(p => p.Path, StringComparer.Ordinal), reader.CurrentProducts()); // those, by path
    }

    /// <summary>A run died after the L1 file (with its QA metrics and plot data) was renamed into place and before the
    /// ledger recorded it: the restart adopts the product, draws its plots from the plot data and records every file
    /// once.</summary>
    [Fact]
    public async Task Adopt_draws_the_plots_an_interrupted_run_s_product_owes_from_its_plot_data_14()
    {
        using var run = new GraphRun(new SimulationOptions { OutputDirectory = "set-by-GraphRun", Scans = 1, Pixels = 2, Channels = 64, OnDumps = 10, Noise = false });
        var ledgerPath = Path.Combine(run.Output, LedgerWriter.DefaultFileName);
        using (var runner = new CalibrationRunner(run.Options(), new PlotsLeftOwedLedger(NoScanLedger.Instance), _ => { }))
        {
            await runner.RunAsync(run.Scans, CancellationToken.None);
        }

        var l1 = L1FileNaming.PathFor(run.Output, run.Scans[0].Science);
        Assert.True(File.Exists(Sidecar(l1, "plotdata")));
        Assert.Empty(Directory.GetFiles(run.Output, "*.png"));
        File.WriteAllText(Sidecar(l1, "tsys.png"), "a plot of another attempt"); // not this product's: redrawn, recorded once

        var outcome = Assert.Single(await RunAsync(run, ledgerPath));

        Assert.Contains("product of an interrupted run recorded", outcome.Error, StringComparison.Ordinal);
        AssertEveryProductRecordedOnce(ledgerPath, l1);
    }

    /// <summary>A run died after recording a product and before drawing its plots: the next run takes them over from
    /// the dead run before it claims anything, draws them from the plot data and records them once.</summary>
    [Fact]
    public async Task Plots_a_dead_run_owes_are_drawn_and_recorded_by_the_next_run_14()
    {
        using var run = new GraphRun(new SimulationOptions { OutputDirectory = "set-by-GraphRun", Scans = 1, Pixels = 2, Channels = 64, OnDumps = 10, Noise = false });
        var ledgerPath = Path.Combine(run.Output, LedgerWriter.DefaultFileName);
        var options = run.Options();
        var dead = LedgerWriter.Open(ledgerPath, new LedgerOptions(), TimeProvider.System, new RunIdentity(Environment.MachineName, 999_999, DateTimeOffset.UtcNow));
        using (var runner = new CalibrationRunner(options, new PlotsLeftOwedLedger(new SqliteScanLedger(dead, options.OutputDirectory, options.Calibration)), _ => { }))
        {
            await runner.RunAsync(run.Scans, CancellationToken.None);
        }

        dead.Abandon();
        var l1 = L1FileNaming.PathFor(run.Output, run.Scans[0].Science);
        Assert.Empty(Directory.GetFiles(run.Output, "*.png"));

        var outcome = Assert.Single(await RunAsync(run, ledgerPath));

        Assert.Equal(ScanOutcomeStatus.Skipped, outcome.Status);
        AssertEveryProductRecordedOnce(ledgerPath, l1);
    }

    /// <summary>A changed input is calibrated again: the older product and its QA files are kept as <c>.v1</c>, and the
    /// ledger's rows of the older attempt name the moved files; the new product has QA files of its own.</summary>
    [Fact]
    public async Task A_superseded_product_keeps_its_QA_files_under_its_versioned_name_and_the_ledger_follows_them_14()
    {
        using var run = new GraphRun(new SimulationOptions { OutputDirectory = "set-by-GraphRun", Scans = 1, Pixels = 2, Channels = 64, OnDumps = 10, Noise = false });
        var ledgerPath = Path.Combine(run.Output, LedgerWriter.DefaultFileName);
        await run.RunAsync(run.Options());
        var l1 = L1FileNaming.PathFor(run.Output, run.Scans[0].Science);
        // Two of the older files made recognisable: the recalibration draws the same plots from the same counts.
        File.WriteAllText(Sidecar(l1, "qa.json"), "older qa");
        File.WriteAllText(Sidecar(l1, "tsys.png"), "older plot");
        Assert.Equal(ScanOutcomeStatus.Skipped, Assert.Single(await RunAsync(run, ledgerPath)).Status); // adopted with its QA
        var older = Suffixes.ToDictionary(s => s, s => FileChecksum.Sha256(Sidecar(l1, s)));

        await File.AppendAllTextAsync(run.Scans[0].Science.FilePath, "\0"); // a changed input: calibrated again
        var recalibrated = Assert.Single(await RunAsync(run, ledgerPath));

        Assert.Equal(ScanOutcomeStatus.Succeeded, recalibrated.Status);
        Assert.All(older, f => Assert.Equal(f.Value, FileChecksum.Sha256(Versioned(l1, 1, f.Key))));
        Assert.Equal("older qa", File.ReadAllText(Versioned(l1, 1, "qa.json")));
        Assert.Equal("older plot", File.ReadAllText(Versioned(l1, 1, "tsys.png")));
        Assert.NotEqual("older qa", File.ReadAllText(Sidecar(l1, "qa.json"))); // the older QA is not left beside the new product
        Assert.NotEqual(older["tsys.png"], FileChecksum.Sha256(Sidecar(l1, "tsys.png")));
        using var reader = LedgerReader.Open(ledgerPath);
        var row = Assert.Single(reader.Scans());
        Assert.Equal(
            [
                .. Suffixes.Select((s, i) => (1, Types[i], Versioned(l1, 1, s))),
                .. Suffixes.Select((s, i) => (2, Types[i], Sidecar(l1, s))),
            ],
            reader.ProductsOf(row.RowId).Select(p => (p.Attempt, p.Type, p.Path)));
        Assert.All(reader.ProductsOf(row.RowId), p => Assert.Equal(FileChecksum.Sha256(p.Path), p.Sha256));
        Assert.Equal(
            Suffixes.Select(s => (2, Sidecar(l1, s))).OrderBy(p => p.Item2, StringComparer.Ordinal),
            reader.CurrentProducts().Select(p => (p.Attempt, p.Path)));
    }

    /// <summary>The L1 file, its QA metrics and its five plots, each recorded once as attempt 1 with the checksum of the
    /// file in place; no plot data or plots still owed.</summary>
    private static void AssertEveryProductRecordedOnce(string ledgerPath, string l1)
    {
        using var reader = LedgerReader.Open(ledgerPath);
        var row = Assert.Single(reader.Scans());
        Assert.Equal(
            Suffixes.Select((s, i) => (1, Types[i], Sidecar(l1, s))),
            reader.ProductsOf(row.RowId).OrderBy(p => p.Type == ProductTypes.Plot).ThenBy(p => p.Path, StringComparer.Ordinal).Select(p => (p.Attempt, p.Type, p.Path)));
        Assert.All(reader.ProductsOf(row.RowId), p => Assert.Equal((FileChecksum.Sha256(p.Path), new FileInfo(p.Path).Length), (p.Sha256, p.Bytes)));
        Assert.False(File.Exists(Sidecar(l1, "plotdata")));
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={ledgerPath};Mode=ReadOnly;Pooling=false");
        connection.Open();
        using var owed = connection.CreateCommand();
        owed.CommandText = "SELECT count(*) FROM pending_plots";
        Assert.Equal(0L, owed.ExecuteScalar());
    }

    private static string Sidecar(string l1, string suffix) => l1[..^".l1.h5".Length] + "." + suffix;

    private static string Versioned(string l1, int version, string suffix) => l1[..^".l1.h5".Length] + $".v{version}." + suffix;

    private static ProductFile Product(string type, string path, string content)
    {
        File.WriteAllText(path, content);
        return new ProductFile(type, path, new FileInfo(path).Length, FileChecksum.Sha256(path));
    }

    private static async Task<List<ScanOutcome>> RunAsync(GraphRun run, string ledgerPath)
    {
        var outcomes = new List<ScanOutcome>();
        using var ledger = LedgerWriter.Open(ledgerPath, new LedgerOptions(), TimeProvider.System);
        var options = run.Options();
        using var calibration = new CalibrationRunner(options, new SqliteScanLedger(ledger, options.OutputDirectory, options.Calibration), outcomes.Add);
        await calibration.RunAsync(run.Scans, CancellationToken.None);
        return outcomes;
    }
}

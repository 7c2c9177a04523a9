using Scanflow.Engine.Ledger;

namespace Scanflow.Engine.Tests.Ledger;

/// <summary>Issue 14: every product of a successful attempt in the ledger's products table, recorded with the success.</summary>
public sealed class LedgerProductsTests : IDisposable
{
    private readonly LedgerFixture _ledger = new();

    public void Dispose() => _ledger.Dispose();

    private string Output => Path.GetDirectoryName(_ledger.Path)!;

    [Fact]
    public void Succeeded_records_the_L1_file_and_its_quality_products_with_the_success_14()
    {
        using var writer = _ledger.OpenWriter();
        var (claim, claimed) = _ledger.ClaimBeside(writer, 7);

        writer.Succeeded(claimed.RowId, claimed.Attempt, claim.L1Path, "l1-sha", 4096, Quality(7), LedgerFixture.Durations);

        // Stored like l1_path: relative to the ledger's directory.
        Assert.Equal(
            "SCIENCE scan_000007_HFA.l1.h5 4096 l1-sha|QA_METRIC scan_000007_HFA.qa.json 300 qa-sha|PLOT scan_000007_HFA.tsys.png 2000 tsys-sha|PLOT scan_000007_HFA.waterfall.png 3000 waterfall-sha",
            _ledger.Scalar("SELECT group_concat(type || ' ' || path || ' ' || bytes || ' ' || sha256, '|') FROM (SELECT * FROM products WHERE row_id = 1 AND attempt = 1 ORDER BY rowid)"));
        using var reader = LedgerReader.Open(_ledger.Path);
        var products = reader.ProductsOf(claimed.RowId);
        Assert.Equal(
            [
                (ProductTypes.Science, claim.L1Path, 4096L, "l1-sha"),
                (ProductTypes.QaMetric, Path.Join(Output, "scan_000007_HFA.qa.json"), 300L, "qa-sha"),
                (ProductTypes.Plot, Path.Join(Output, "scan_000007_HFA.tsys.png"), 2000L, "tsys-sha"),
                (ProductTypes.Plot, Path.Join(Output, "scan_000007_HFA.waterfall.png"), 3000L, "waterfall-sha"),
            ],
            products.Select(p => (p.Type, p.Path, p.Bytes, p.Sha256)));
        Assert.All(products, p => Assert.Equal((1, _ledger.Time.GetUtcNow()), (p.Attempt, p.RecordedUtc)));
        Assert.Equal(products.OrderBy(p => p.Path, StringComparer.Ordinal), reader.CurrentProducts());
        Assert.Equal(products, reader.ProductsOf(claimed.RowId, currentOnly: true));
    }

    /// <summary>The service's automatic free-space floor follows the largest product: a scan's L1 file with its QA file
    /// and plots, which can outweigh a small L1 file.</summary>
    [Fact]
    public void Largest_product_counts_the_QA_files_and_plots_with_the_L1_file_14()
    {
        using var writer = _ledger.OpenWriter();
        var (claim, claimed) = _ledger.ClaimBeside(writer, 7);

        writer.Succeeded(claimed.RowId, claimed.Attempt, claim.L1Path, "l1-sha", 4096, Quality(7), LedgerFixture.Durations);

        Assert.Equal(4096 + 300 + 2000 + 3000, writer.LargestProductBytes());
    }

    /// <summary>A crash (here: a fault injected into the last product insert) before the commit leaves neither the success
    /// nor any of its products: the attempt stays RUNNING, to be recovered and done again.</summary>
    [Fact]
    public void A_success_that_fails_before_its_commit_records_no_product_14()
    {
        using var writer = _ledger.OpenWriter();
        var (claim, claimed) = _ledger.ClaimBeside(writer, 7);
        _ledger.Execute(
            """
            CREATE TRIGGER injected_fault BEFORE INSERT ON products WHEN NEW.path LIKE '%waterfall%'
            BEGIN SELECT RAISE(ABORT, 'injected fault'); END;
            """);

        var error = Assert.Throws<Microsoft.Data.Sqlite.SqliteException>(
            () => writer.Succeeded(claimed.RowId, claimed.Attempt, claim.L1Path, "l1-sha", 4096, Quality(7), LedgerFixture.Durations));

        Assert.Contains("injected fault", error.Message, StringComparison.Ordinal);
        Assert.Equal("0", _ledger.Scalar("SELECT count(*) FROM products"));
        Assert.Equal("RUNNING|RUNNING", _ledger.Scalar("SELECT s.status || '|' || a.status FROM scans s JOIN attempts a ON a.row_id = s.row_id"));
        Assert.Equal("", _ledger.Scalar("SELECT l1_sha256 FROM scans"));

        _ledger.Execute("DROP TRIGGER injected_fault;");
        writer.Succeeded(claimed.RowId, claimed.Attempt, claim.L1Path, "l1-sha", 4096, Quality(7), LedgerFixture.Durations);
        Assert.Equal("4", _ledger.Scalar("SELECT count(*) FROM products"));
    }

    [Fact]
    public void Succeeded_refuses_a_quality_product_that_is_not_QA_or_a_plot_and_records_nothing_14()
    {
        using var writer = _ledger.OpenWriter();
        var (claim, claimed) = _ledger.ClaimBeside(writer, 7);

        var science = Assert.Throws<ArgumentException>(() => writer.Succeeded(
            claimed.RowId, claimed.Attempt, claim.L1Path, "l1-sha", 1, [new ProductFile(ProductTypes.Science, claim.L1Path + ".copy", 1, "x")], LedgerFixture.Durations));
        var theL1 = Assert.Throws<ArgumentException>(() => writer.Succeeded(
            claimed.RowId, claimed.Attempt, claim.L1Path, "l1-sha", 1, [new ProductFile(ProductTypes.Plot, claim.L1Path, 1, "x")], LedgerFixture.Durations));

        Assert.Contains("'SCIENCE' is not a quality product", science.Message, StringComparison.Ordinal);
        Assert.Contains("is the L1 file", theL1.Message, StringComparison.Ordinal);
        Assert.Equal("0|RUNNING", _ledger.Scalar("SELECT (SELECT count(*) FROM products) || '|' || status FROM scans"));
    }

    [Fact]
    public void A_later_attempt_s_products_are_current_and_the_earlier_ones_stay_listed_under_their_moved_paths_14()
    {
        using var writer = _ledger.OpenWriter();
        var (claim, first) = _ledger.ClaimBeside(writer, 7);
        writer.Succeeded(first.RowId, first.Attempt, claim.L1Path, "old-l1", 1, Quality(7), LedgerFixture.Durations);

        var changed = writer.Claim(claim with { InputSha256 = "in-2" });
        Assert.Equal(claim.L1Path, changed.SupersededL1Path);
        var qa = Path.Join(Output, "scan_000007_HFA.qa.json");
        var moved = writer.ProductsMoved([(claim.L1Path, Path.Join(Output, "scan_000007_HFA.v1.l1.h5")), (qa, Path.Join(Output, "scan_000007_HFA.v1.qa.json"))]);
        using (var reader = LedgerReader.Open(_ledger.Path))
        {
            Assert.Empty(reader.CurrentProducts()); // the row is RUNNING again
        }

        writer.Succeeded(changed.RowId, changed.Attempt, claim.L1Path, "new-l1", 2, [new ProductFile(ProductTypes.QaMetric, qa, 5, "new-qa")], LedgerFixture.Durations);

        Assert.Equal(2, moved);
        using var after = LedgerReader.Open(_ledger.Path);
        Assert.Equal(
            [(2, ProductTypes.Science, claim.L1Path, "new-l1"), (2, ProductTypes.QaMetric, qa, "new-qa")],
            after.ProductsOf(first.RowId, currentOnly: true).Select(p => (p.Attempt, p.Type, p.Path, p.Sha256)));
        Assert.Equal(
            [
                (1, "scan_000007_HFA.v1.l1.h5", "old-l1"),
                (1, "scan_000007_HFA.v1.qa.json", "qa-sha"),
                (1, "scan_000007_HFA.tsys.png", "tsys-sha"),
                (1, "scan_000007_HFA.waterfall.png", "waterfall-sha"),
                (2, "scan_000007_HFA.l1.h5", "new-l1"),
                (2, "scan_000007_HFA.qa.json", "new-qa"),
            ],
            after.ProductsOf(first.RowId).Select(p => (p.Attempt, Path.GetFileName(p.Path), p.Sha256)));
        Assert.Equal(["new-l1", "new-qa"], after.CurrentProducts().Select(p => p.Sha256).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_product_another_configuration_replaced_at_its_path_is_not_current_14()
    {
        using var writer = _ledger.OpenWriter();
        var (claim, first) = _ledger.ClaimBeside(writer, 7);
        writer.Succeeded(first.RowId, first.Attempt, claim.L1Path, "cfg-1-l1", 1, Quality(7), LedgerFixture.Durations);
        var other = writer.Claim(claim with { ConfigSha256 = "cfg-2" });
        writer.Succeeded(other.RowId, other.Attempt, claim.L1Path, "cfg-2-l1", 1, [], LedgerFixture.Durations);

        using var reader = LedgerReader.Open(_ledger.Path);

        Assert.Equal([(other.RowId, "cfg-2-l1")], reader.CurrentProducts().Select(p => (p.RowId, p.Sha256)));
        Assert.Empty(reader.ProductsOf(first.RowId, currentOnly: true));
        Assert.Equal(4, reader.ProductsOf(first.RowId).Count);
    }

    /// <summary>A ledger written by the engine before the products table: the migration adds it and records the SCIENCE
    /// product of every SUCCEEDED attempt, so show and verify find them.</summary>
    [Fact]
    public void The_v5_migration_adds_the_products_table_to_a_v4_ledger_with_the_L1_of_each_success_14()
    {
        _ledger.CreateWithRowsAt(4);
        Assert.Equal("0", _ledger.Scalar("SELECT count(*) FROM sqlite_master WHERE name = 'products'"));
        Assert.Throws<InvalidOperationException>(() => LedgerReader.Open(_ledger.Path)); // a reader does not migrate

        using (var writer = _ledger.OpenWriter())
        {
            Assert.Equal("1,2,3,4,5,6,7", _ledger.Scalar("SELECT group_concat(version) FROM (SELECT version FROM schema_version ORDER BY version)"));
            var claimed = writer.Claim(LedgerFixture.Claim(4));
            writer.Succeeded(claimed.RowId, claimed.Attempt, LedgerFixture.Claim(4).L1Path, "l1-sha-4", 44, [new ProductFile(ProductTypes.Plot, "/out/scan_000004_HFA.tsys.png", 5, "p")], LedgerFixture.Durations);
        }

        using var reader = LedgerReader.Open(_ledger.Path);
        var recovered = Assert.Single(reader.ProductsOf(1));
        Assert.Equal(
            (1L, 1, ProductTypes.Science, "/out/scan_000001_K.l1.h5", 11L, "l1-sha-1", DateTimeOffset.Parse("2025-01-01T00:00:20Z", System.Globalization.CultureInfo.InvariantCulture)),
            (recovered.RowId, recovered.Attempt, recovered.Type, recovered.Path, recovered.Bytes, recovered.Sha256, recovered.RecordedUtc));
        Assert.Empty(reader.ProductsOf(2)); // failed: no product
        Assert.Equal(["l1-sha-1", "l1-sha-4", "p"], reader.CurrentProducts().Select(p => p.Sha256).Order(StringComparer.Ordinal));
        Assert.Contains("REFERENCES attempts(row_id, attempt)", _ledger.Scalar("SELECT sql FROM sqlite_master WHERE name = 'products'"), StringComparison.Ordinal);
        Assert.Equal("", _ledger.Scalar("PRAGMA foreign_key_check"));
        Assert.Equal("ok", _ledger.Scalar("PRAGMA integrity_check"));
    }

    private List<ProductFile> Quality(long scanId) =>
    [
        new(ProductTypes.QaMetric, Path.Join(Output, $"scan_{scanId:D6}_HFA.qa.json"), 300, "qa-sha"),
        new(ProductTypes.Plot, Path.Join(Output, $"scan_{scanId:D6}_HFA.tsys.png"), 2000, "tsys-sha"),
        new(ProductTypes.Plot, Path.Join(Output, $"scan_{scanId:D6}_HFA.waterfall.png"), 3000, "waterfall-sha"),
    ];
}

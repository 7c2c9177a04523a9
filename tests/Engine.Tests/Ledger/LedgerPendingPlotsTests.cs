using Scanflow.Engine.Ledger;

namespace Scanflow.Engine.Tests.Ledger;

/// <summary>Issue 14: the plots a recorded product owes (pending_plots): recorded in a transaction of their own once
/// drawn, exactly once, by the run that owes them; a run that died leaves them to the next.</summary>
public sealed class LedgerPendingPlotsTests : IDisposable
{
    private readonly LedgerFixture _ledger = new();

    public void Dispose() => _ledger.Dispose();

    private string Output => Path.GetDirectoryName(_ledger.Path)!;

    [Fact]
    public void A_success_with_plot_data_owes_its_plots_and_drawing_them_records_them_once_14()
    {
        using var writer = _ledger.OpenWriter();
        var (claim, claimed) = _ledger.ClaimBeside(writer, 7);

        var owed = writer.Succeeded(claimed.RowId, claimed.Attempt, claim.L1Path, "l1-sha", 10, [], LedgerFixture.Durations, DataPath(7));

        Assert.Equal(new PendingPlots(claimed.RowId, claimed.Attempt, 7, "HFA", DataPath(7)), owed);
        Assert.Equal("scan_000007_HFA.plotdata", _ledger.Scalar("SELECT data_path FROM pending_plots")); // stored like l1_path
        Assert.True(writer.PlotsDrawn(owed!, Plots(7)));
        Assert.False(writer.PlotsDrawn(owed!, Plots(7)));
        Assert.Equal("0", _ledger.Scalar("SELECT count(*) FROM pending_plots"));
        using var reader = LedgerReader.Open(_ledger.Path);
        Assert.Equal(
            [ProductTypes.Science, ProductTypes.Plot, ProductTypes.Plot],
            reader.ProductsOf(claimed.RowId).Select(p => p.Type));
    }

    [Fact]
    public void The_plots_of_a_dead_run_are_taken_over_once_and_a_live_runs_are_not_14()
    {
        var dead = LedgerWriter.Open(_ledger.Path, new LedgerOptions(), _ledger.Time, new RunIdentity(Environment.MachineName, 999_999, _ledger.Time.GetUtcNow()));
        var (claim, claimed) = _ledger.ClaimBeside(dead, 7);
        dead.Succeeded(claimed.RowId, claimed.Attempt, claim.L1Path, "l1-sha", 10, [], LedgerFixture.Durations, DataPath(7));
        dead.Abandon();
        using var live = _ledger.OpenWriter();
        var (liveClaim, liveClaimed) = _ledger.ClaimBeside(live, 8);
        var liveOwed = live.Succeeded(liveClaimed.RowId, liveClaimed.Attempt, liveClaim.L1Path, "l1-sha", 10, [], LedgerFixture.Durations, DataPath(8));
        using var restarted = _ledger.OpenWriter();

        var taken = restarted.TakeOverPendingPlots();

        Assert.Equal([new PendingPlots(claimed.RowId, claimed.Attempt, 7, "HFA", DataPath(7))], taken);
        Assert.Empty(restarted.TakeOverPendingPlots());
        Assert.Equal(restarted.RunId, _ledger.Scalar($"SELECT run_id FROM pending_plots WHERE row_id = {claimed.RowId}"));
        Assert.False(restarted.PlotsDrawn(liveOwed!, Plots(8))); // and the live run's stays its own
        Assert.True(restarted.PlotsDrawn(taken[0], Plots(7)));
        Assert.True(live.PlotsDrawn(liveOwed!, Plots(8)));
    }

    [Fact]
    public void Plots_of_a_product_superseded_meanwhile_are_not_recorded_14()
    {
        using var writer = _ledger.OpenWriter();
        var (claim, first) = _ledger.ClaimBeside(writer, 7);
        var owed = writer.Succeeded(first.RowId, first.Attempt, claim.L1Path, "l1-sha", 10, [], LedgerFixture.Durations, DataPath(7));
        var second = writer.Claim(claim with { InputSha256 = "in-2" });
        Assert.Equal(ClaimOutcome.Claimed, second.Outcome);

        Assert.False(writer.PlotsDrawn(owed!, Plots(7)));

        Assert.Equal("0", _ledger.Scalar("SELECT count(*) FROM pending_plots"));
        Assert.Equal("0", _ledger.Scalar("SELECT count(*) FROM products WHERE type = 'PLOT'"));
    }

    /// <summary>A run that finds the product in place and skips the scan adds a SKIPPED attempt; the product, and the
    /// plots it owes, stay those of the SUCCEEDED attempt.</summary>
    [Fact]
    public void Plots_of_a_product_skipped_meanwhile_are_still_recorded_14()
    {
        using var writer = _ledger.OpenWriter();
        var (claim, claimed) = _ledger.ClaimBeside(writer, 7);
        var owed = writer.Succeeded(claimed.RowId, claimed.Attempt, claim.L1Path, "l1-sha", 10, [], LedgerFixture.Durations, DataPath(7));
        using (var other = _ledger.OpenWriter())
        {
            Assert.Equal(ClaimOutcome.AlreadySucceeded, other.Claim(claim).Outcome);
        }

        Assert.True(writer.PlotsDrawn(owed!, Plots(7)));

        Assert.Equal("2", _ledger.Scalar("SELECT count(*) FROM products WHERE type = 'PLOT'"));
    }

    [Fact]
    public void Only_plots_are_recorded_as_drawn_plots_14()
    {
        using var writer = _ledger.OpenWriter();
        var (claim, claimed) = _ledger.ClaimBeside(writer, 7);
        var owed = writer.Succeeded(claimed.RowId, claimed.Attempt, claim.L1Path, "l1-sha", 10, [], LedgerFixture.Durations, DataPath(7));

        Assert.Throws<ArgumentException>(() => writer.PlotsDrawn(owed!, [new ProductFile(ProductTypes.QaMetric, Path.Join(Output, "x.qa.json"), 1, "q")]));
        Assert.Equal("1", _ledger.Scalar("SELECT count(*) FROM pending_plots"));
    }

    private string DataPath(long scanId) => Path.Join(Output, $"scan_{scanId:D6}_HFA.plotdata");

    private List<ProductFile> Plots(long scanId) =>
    [
        new(ProductTypes.Plot, Path.Join(Output, $"scan_{scanId:D6}_HFA.tsys.png"), 2000, "tsys-sha"),
        new(ProductTypes.Plot, Path.Join(Output, $"scan_{scanId:D6}_HFA.waterfall.png"), 3000, "waterfall-sha"),
    ];
}

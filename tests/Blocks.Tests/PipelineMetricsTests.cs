using System.Globalization;
using Prometheus;
using Scanflow.Engine.Ledger;
using Scanflow.Engine.Model;
using Scanflow.Engine.Simulation;

namespace Scanflow.Blocks.Tests;

public class PipelineMetricsTests
{
    private static readonly string[] Stages = ["load", "calibrate", "atmosphere", "prepare", "write", "record"];

    private static readonly string[] MetricNames =
    [
        "scanflow_stage_duration_seconds", "scanflow_stage_items_total", "scanflow_stage_queue_depth", "scanflow_stage_in_flight",
        "scanflow_scans_total", "scanflow_bytes_read_total", "scanflow_bytes_written_total", "scanflow_last_success_timestamp_seconds",
        "scanflow_pwv_mm", "scanflow_tsys_median_kelvin", "scanflow_trx_median_kelvin",
    ];

    private static SimulationOptions Store(Band band, int scans, long firstId, double pwvMm) => new()
    {
        OutputDirectory = "set-by-GraphRun",
        Band = band,
        Scans = scans,
        FirstScanId = firstId,
        Pixels = 3,
        Channels = 128,
        OnDumps = 20,
        OffDumps = 5,
        PwvMm = pwvMm,
        Noise = false,
    };

    [Fact]
    public async Task A_fresh_registry_shows_every_stage_series_before_any_scan()
    {
        var metrics = new PipelineMetrics(Metrics.NewCustomRegistry());

        var text = await ScrapeAsync(metrics.Registry);

        foreach (var stage in Stages)
        {
            Assert.Equal(0, text[$"scanflow_stage_queue_depth{{stage=\"{stage}\"}}"]);
            Assert.Equal(0, text[$"scanflow_stage_in_flight{{stage=\"{stage}\"}}"]);
            Assert.Equal(0, text[$"scanflow_stage_duration_seconds_count{{stage=\"{stage}\"}}"]);
            Assert.Equal(0, text[$"scanflow_stage_items_total{{stage=\"{stage}\",outcome=\"failed\"}}"]);
        }

        Assert.Equal(0, text["scanflow_scans_total{band=\"hfa\",outcome=\"skipped\"}"]);
    }

    [Fact]
    public async Task Calibrating_a_store_twice_reports_outcomes_stages_bytes_and_the_latest_calibration_per_band()
    {
        using var run = new GraphRun(Store(Band.Lfa, scans: 3, firstId: 1, pwvMm: 0.5), Store(Band.Hfa, scans: 1, firstId: 100, pwvMm: 1.2));
        var broken = run.Scans.First(s => s.Science.Band == Band.Lfa).Science.FilePath;
        using (var stream = new FileStream(broken, FileMode.Open))
        {
            stream.SetLength(stream.Length / 2);
        }

        var metrics = new PipelineMetrics(Metrics.NewCustomRegistry());
        var options = run.Options() with { Metrics = metrics };
        var ledgerPath = Path.Combine(run.Output, LedgerWriter.DefaultFileName);

        // First run: 2 LFA + 1 HFA succeed, the truncated LFA scan fails in Load. Second run: the ledger skips the
        // three products and refuses the failed scan (same input) without the graph.
        var first = await CalibrateAsync(run, options, ledgerPath);
        var second = await CalibrateAsync(run, options, ledgerPath);
        var text = await ScrapeAsync(metrics.Registry);

        Assert.Equal(3, second.Count(o => o.Status == ScanOutcomeStatus.Skipped));
        Assert.Equal(2, text["scanflow_scans_total{band=\"lfa\",outcome=\"succeeded\"}"]);
        Assert.Equal(1, text["scanflow_scans_total{band=\"hfa\",outcome=\"succeeded\"}"]);
        Assert.Equal(2, text["scanflow_scans_total{band=\"lfa\",outcome=\"failed\"}"]);
        Assert.Equal(2, text["scanflow_scans_total{band=\"lfa\",outcome=\"skipped\"}"]);
        Assert.Equal(1, text["scanflow_scans_total{band=\"hfa\",outcome=\"skipped\"}"]);
        Assert.Equal(0, text["scanflow_scans_total{band=\"hfa\",outcome=\"cancelled\"}"]);

        // Stages count the four scans the graph saw: the failing one stopped in Load.
        Assert.Equal(3, text["scanflow_stage_items_total{stage=\"load\",outcome=\"succeeded\"}"]);
        Assert.Equal(1, text["scanflow_stage_items_total{stage=\"load\",outcome=\"failed\"}"]);
        Assert.Equal(3, text["scanflow_stage_items_total{stage=\"write\",outcome=\"succeeded\"}"]);
        Assert.Equal(0, text["scanflow_stage_items_total{stage=\"write\",outcome=\"failed\"}"]);
        Assert.Equal(4, text["scanflow_stage_items_total{stage=\"record\",outcome=\"succeeded\"}"]);
        Assert.Equal(4, text["scanflow_stage_duration_seconds_count{stage=\"load\"}"]);
        Assert.Equal(3, text["scanflow_stage_duration_seconds_count{stage=\"prepare\"}"]);
        Assert.Equal(4, text["scanflow_stage_duration_seconds_count{stage=\"record\"}"]);
        Assert.Equal(4, text["scanflow_stage_duration_seconds_bucket{stage=\"load\",le=\"+Inf\"}"]);
        Assert.True(text["scanflow_stage_duration_seconds_sum{stage=\"write\"}"] > 0);

        var succeeded = first.Where(o => o.Status == ScanOutcomeStatus.Succeeded).ToList();
        Assert.Equal(3, succeeded.Count);
        Assert.Equal(first.Sum(o => o.BytesRead), text["scanflow_bytes_read_total"]);
        Assert.True(text["scanflow_bytes_read_total"] > 0);
        Assert.Equal(succeeded.Sum(o => o.Product!.Bytes), text["scanflow_bytes_written_total"]);
        Assert.Equal(succeeded.Max(o => o.Finished).ToUnixTimeMilliseconds() / 1000.0, text["scanflow_last_success_timestamp_seconds"], 0.002);

        foreach (var band in new[] { Band.Lfa, Band.Hfa })
        {
            var label = PipelineMetrics.Label(band);
            var calibration = run.Truth.Calibrations.Single(c => c.Band == ModelNames.Of(band));
            // Noise-free scans: the fit recovers the injected PWV as closely as the library path does (NoiselessTruth).
            Assert.InRange(text[$"scanflow_pwv_mm{{band=\"{label}\"}}"], calibration.PwvMm - 0.005, calibration.PwvMm + 0.005);
            var receiver = calibration.Receiver;
            var trx = text[$"scanflow_trx_median_kelvin{{band=\"{label}\"}}"];
            Assert.InRange(trx, receiver.TrxBaseK.Min() * (1 - receiver.TrxRippleAmplitude), receiver.TrxBaseK.Max() * (1 + receiver.TrxRippleAmplitude));
            var tsys = text[$"scanflow_tsys_median_kelvin{{band=\"{label}\"}}"];
            Assert.True(double.IsFinite(tsys) && tsys > trx, $"{label}: T_sys median {tsys} K, T_rx median {trx} K");
        }

        foreach (var stage in Stages)
        {
            Assert.True(text.ContainsKey($"scanflow_stage_queue_depth{{stage=\"{stage}\"}}"), stage);
            Assert.True(text.ContainsKey($"scanflow_stage_in_flight{{stage=\"{stage}\"}}"), stage);
        }
    }

    [Fact]
    public async Task Queue_gauges_sample_the_attached_graph_at_scrape_time_and_drop_to_zero_once_it_is_disposed()
    {
        using var run = new GraphRun(Store(Band.Lfa, scans: 3, firstId: 1, pwvMm: 0.5));
        var metrics = new PipelineMetrics(Metrics.NewCustomRegistry());
        using var release = new ManualResetEventSlim();
        // Recording the first scan blocks (after its commit, which Record runs first), so the other two wait in Record's
        // queue until the test lets it go.
        var graph = new CalibrationRunner(run.Options() with { Metrics = metrics }, NoScanLedger.Instance, o =>
        {
            release.Wait();
            run.Outcomes.Add(o);
        });
        var running = graph.RunAsync(run.Scans, CancellationToken.None);

        var during = await ScrapeAsync(metrics.Registry);
        while (during["scanflow_stage_queue_depth{stage=\"record\"}"] < 2 || during["scanflow_stage_in_flight{stage=\"record\"}"] < 1)
        {
            await Task.Delay(10);
            during = await ScrapeAsync(metrics.Registry);
        }

        release.Set();
        await running;
        var done = await ScrapeAsync(metrics.Registry);
        graph.Dispose();
        var after = await ScrapeAsync(metrics.Registry);

        Assert.Equal(2, during["scanflow_stage_queue_depth{stage=\"record\"}"]);
        Assert.Equal(1, during["scanflow_stage_in_flight{stage=\"record\"}"]);
        Assert.Equal(0, during["scanflow_scans_total{band=\"lfa\",outcome=\"succeeded\"}"]);
        Assert.Equal(3, done["scanflow_scans_total{band=\"lfa\",outcome=\"succeeded\"}"]);
        Assert.All(Stages, s => Assert.Equal(0, done[$"scanflow_stage_queue_depth{{stage=\"{s}\"}}"]));
        Assert.All(Stages, s => Assert.Equal(0, after[$"scanflow_stage_in_flight{{stage=\"{s}\"}}"]));
    }

    [Fact]
    public async Task Queue_gauges_sum_every_live_graph_reporting_to_the_metrics_not_the_one_constructed_last()
    {
        using var first = new GraphRun(Store(Band.Lfa, scans: 3, firstId: 1, pwvMm: 0.5));
        using var second = new GraphRun(Store(Band.Hfa, scans: 3, firstId: 100, pwvMm: 0.5));
        var metrics = new PipelineMetrics(Metrics.NewCustomRegistry());
        using var release = new ManualResetEventSlim();
        // Each run's recorder blocks on its first scan, so two scans of each run wait in its Record queue.
        using var one = new CalibrationRunner(first.Options() with { Metrics = metrics }, NoScanLedger.Instance, _ => release.Wait());
        using var two = new CalibrationRunner(second.Options() with { Metrics = metrics }, NoScanLedger.Instance, _ => release.Wait());
        var running = Task.WhenAll(one.RunAsync(first.Scans, CancellationToken.None), two.RunAsync(second.Scans, CancellationToken.None));

        // Bounded so that gauges showing one graph only (2 queued at most) fail instead of hanging.
        var during = await ScrapeAsync(metrics.Registry);
        // Record commits a scan before it reports it: wait for both recorders to be in the blocked callback too.
        for (var i = 0; i < 2000 && (during["scanflow_stage_queue_depth{stage=\"record\"}"] < 4 || during["scanflow_stage_in_flight{stage=\"record\"}"] < 2); i++)
        {
            await Task.Delay(10);
            during = await ScrapeAsync(metrics.Registry);
        }

        release.Set();
        await running;

        Assert.Equal(4, during["scanflow_stage_queue_depth{stage=\"record\"}"]);
        Assert.Equal(2, during["scanflow_stage_in_flight{stage=\"record\"}"]);
    }

    private static async Task<List<ScanOutcome>> CalibrateAsync(GraphRun run, PipelineOptions options, string ledgerPath)
    {
        var outcomes = new List<ScanOutcome>();
        using var ledger = LedgerWriter.Open(ledgerPath, new LedgerOptions(), TimeProvider.System);
        using var calibration = new CalibrationRunner(
            options with { RetryBaseDelay = TimeSpan.FromMilliseconds(10) }, new SqliteScanLedger(ledger, options.OutputDirectory, options.Calibration), outcomes.Add);
        await calibration.RunAsync(run.Scans, CancellationToken.None);
        return outcomes;
    }

    /// <summary>The exposition as series → value, after checking every metric has its HELP and TYPE lines.</summary>
    private static async Task<Dictionary<string, double>> ScrapeAsync(CollectorRegistry registry)
    {
        using var stream = new MemoryStream();
        await registry.CollectAndExportAsTextAsync(stream);
        var lines = System.Text.Encoding.UTF8.GetString(stream.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        foreach (var name in MetricNames)
        {
            Assert.Contains(lines, l => l.StartsWith($"# HELP {name} ", StringComparison.Ordinal) && l.Length > $"# HELP {name} ".Length + 10);
            Assert.Contains(lines, l => l.StartsWith($"# TYPE {name} ", StringComparison.Ordinal));
        }

        return lines.Where(l => !l.StartsWith('#')).Select(l => l.Split(' ')).ToDictionary(p => p[0], p => double.Parse(p[1], CultureInfo.InvariantCulture));
    }
}

using System.Text.Json;

namespace Scanflow.Host.Tests;

/// <summary><see cref="DashboardQueries"/> on tricky PromQL, and the shipped Grafana dashboard against the metric names
/// the service exposes (docs/operations.md, Grafana and Prometheus).</summary>
public sealed class DashboardQueriesTests : IDisposable
{
    /// <summary>Every series name the service exposes: Scanflow's own (the histogram as its three series) and
    /// prometheus-net's process metrics.</summary>
    private static readonly string[] ExposedMetrics =
    [
        "scanflow_stage_duration_seconds_bucket", "scanflow_stage_duration_seconds_sum", "scanflow_stage_duration_seconds_count",
        "scanflow_stage_items_total", "scanflow_stage_queue_depth", "scanflow_stage_in_flight", "scanflow_scans_total",
        "scanflow_bytes_read_total", "scanflow_bytes_written_total", "scanflow_ingest_backlog_files", "scanflow_waiting_scans",
        "scanflow_last_success_timestamp_seconds", "scanflow_pwv_mm", "scanflow_tsys_median_kelvin", "scanflow_trx_median_kelvin",
        "scanflow_radiometer_ratio", "scanflow_flagged_channel_fraction",
        "process_cpu_seconds_total", "process_working_set_bytes", "process_open_handles", "dotnet_total_memory_bytes",
        "dotnet_collection_count_total",
    ];

    private static readonly string Dashboard = Path.Combine(Repository.Root(), "deploy", "grafana", "scanflow-dashboard.json");

    private readonly string _folder = Directory.CreateTempSubdirectory("scanflow-dashboard-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void MetricNames_of_histogram_quantile_over_bucket_rate_is_the_bucket_series_only()
    {
        var names = DashboardQueries.MetricNames(
            "histogram_quantile(0.95, sum by (le, stage) (rate(scanflow_stage_duration_seconds_bucket[5m])))");

        Assert.Equal(["scanflow_stage_duration_seconds_bucket"], names.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void MetricNames_finds_a_metric_at_the_end_of_the_expression_after_a_function_call()
    {
        var names = DashboardQueries.MetricNames("time() - scanflow_last_success_timestamp_seconds");

        Assert.Equal(["scanflow_last_success_timestamp_seconds"], names.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void MetricNames_skips_label_names_and_regex_values_with_braces_brackets_and_escaped_quotes()
    {
        var names = DashboardQueries.MetricNames(
            "sum by (band) (rate(scanflow_scans_total{outcome=~\"failed|cancelled\", band!~\"L{2}[A-Z]) or x\", " +
            "instance!=\"say \\\"hi\\\" }\", job='it\\'s {scanflow}'}[5m]))");

        Assert.Equal(["scanflow_scans_total"], names.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void MetricNames_skips_on_ignoring_group_left_lists_and_bool()
    {
        var names = DashboardQueries.MetricNames(
            "scanflow_bytes_written_total / on (instance, job) group_left (band) scanflow_bytes_read_total > bool 0 " +
            "and ignoring(stage) scanflow_stage_in_flight or on() group_right scanflow_stage_queue_depth unless scanflow_waiting_scans");

        Assert.Equal(
            ["scanflow_bytes_read_total", "scanflow_bytes_written_total", "scanflow_stage_in_flight", "scanflow_stage_queue_depth", "scanflow_waiting_scans"],
            names.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void MetricNames_skips_aggregations_with_trailing_grouping_and_keywords_in_any_case()
    {
        var names = DashboardQueries.MetricNames(
            "sum without (generation) (rate(dotnet_collection_count_total[1m])) OR max(process_open_handles) BY (instance) " +
            "+ SUM BY (stage) (scanflow_stage_in_flight) + topk(3, count_values(\"value\", scanflow_pwv_mm))");

        Assert.Equal(
            ["dotnet_collection_count_total", "process_open_handles", "scanflow_pwv_mm", "scanflow_stage_in_flight"],
            names.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void MetricNames_skips_grafana_variables_offsets_and_at_modifiers()
    {
        var names = DashboardQueries.MetricNames(
            "rate(scanflow_bytes_read_total{instance=~\"$instance\"}[$__rate_interval] offset -1h) * $scale + ${threshold:raw} " +
            "- scanflow_waiting_scans @ start() - scanflow_ingest_backlog_files @ 1609746000");

        Assert.Equal(["scanflow_bytes_read_total", "scanflow_ingest_backlog_files", "scanflow_waiting_scans"], names.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void MetricNames_skips_numbers_durations_inf_and_nan()
    {
        var names = DashboardQueries.MetricNames(
            "scanflow_pwv_mm > 1e-3 and scanflow_pwv_mm < 0x1F unless scanflow_tsys_median_kelvin > +Inf or scanflow_trx_median_kelvin != NaN " +
            "or scanflow_pwv_mm offset 1h30m > .5");

        Assert.Equal(["scanflow_pwv_mm", "scanflow_trx_median_kelvin", "scanflow_tsys_median_kelvin"], names.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void MetricNames_skips_subquery_ranges_and_keeps_recording_rule_names_with_colons()
    {
        var names = DashboardQueries.MetricNames(
            "max_over_time(rate(scanflow_bytes_written_total[5m])[1h:30s]) / job:scanflow_scans:rate5m");

        Assert.Equal(["job:scanflow_scans:rate5m", "scanflow_bytes_written_total"], names.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void MetricNames_counts_name_matchers_and_quoted_names_but_not_other_values()
    {
        var names = DashboardQueries.MetricNames(
            "{__name__=\"scanflow_waiting_scans\", job=\"scanflow\"} + {\"scanflow_ingest_backlog_files\", instance=\"a\"} " +
            "+ {__name__=~\"process_.*\"} + {\"quoted.label\"=\"scanflow_pwv_mm\"}");

        Assert.Equal(["scanflow_ingest_backlog_files", "scanflow_waiting_scans"], names.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void MetricNames_ignores_comments_and_strings_in_function_arguments()
    {
        var names = DashboardQueries.MetricNames(
            "label_replace(scanflow_stage_queue_depth, \"node\", \"$1\", \"instance\", \"(scanflow_[a-z]+):.*\") # and not_a_metric here\n" +
            "+ absent(scanflow_stage_items_total)");

        Assert.Equal(["scanflow_stage_items_total", "scanflow_stage_queue_depth"], names.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Expressions_reads_every_target_in_order_including_collapsed_rows_and_legacy_rows()
    {
        var path = Path.Combine(_folder, "dashboard.json");
        File.WriteAllText(path, """
            {
              "panels": [
                { "type": "stat", "targets": [ { "refId": "A", "expr": "a_total" }, { "refId": "B", "expr": "  " } ] },
                { "type": "text", "options": { "content": "expr" } },
                { "type": "row", "collapsed": false, "panels": [] },
                { "type": "timeseries", "targets": [ { "refId": "A", "expr": "b" }, { "refId": "B", "datasource": "x" } ] },
                { "type": "row", "collapsed": true, "panels": [
                  { "type": "timeseries", "targets": [ { "refId": "A", "expr": "c" } ] }
                ] }
              ],
              "rows": [ { "panels": [ { "targets": [ { "expr": "d" } ] } ] } ],
              "templating": { "list": [ { "query": { "expr": "not_a_panel" } } ] }
            }
            """);

        Assert.Equal(["a_total", "b", "c", "d"], DashboardQueries.Expressions(path));
    }

    [Fact]
    public void Expressions_accepts_the_http_api_wrapper()
    {
        var path = Path.Combine(_folder, "api.json");
        File.WriteAllText(path, """{ "meta": {}, "dashboard": { "panels": [ { "targets": [ { "expr": "up" } ] } ] } }""");

        Assert.Equal(["up"], DashboardQueries.Expressions(path));
    }

    [Fact]
    public void Dashboard_has_at_least_ten_panels_with_expressions_and_references_only_exposed_metrics()
    {
        var expressions = DashboardQueries.Expressions(Dashboard);

        Assert.True(PanelsWithExpressions(Dashboard) >= 10, $"{PanelsWithExpressions(Dashboard)} panels with expressions");
        var unknown = expressions
            .SelectMany(e => DashboardQueries.MetricNames(e).Where(n => !ExposedMetrics.Contains(n)).Select(n => $"{n} in {e}"))
            .ToList();
        Assert.True(unknown.Count == 0, string.Join(Environment.NewLine, unknown));
    }

    [Fact]
    public void Dashboard_shows_every_scanflow_metric()
    {
        var used = DashboardQueries.Expressions(Dashboard).SelectMany(DashboardQueries.MetricNames).ToHashSet(StringComparer.Ordinal);

        var unused = ExposedMetrics
            .Where(m => m.StartsWith("scanflow_", StringComparison.Ordinal) && !m.EndsWith("_count", StringComparison.Ordinal) && !used.Contains(m))
            .ToList();
        Assert.True(unused.Count == 0, $"not on the dashboard: {string.Join(", ", unused)}");
    }

    [Fact]
    public void Dashboard_queries_the_data_source_chosen_at_import()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Dashboard));
        var root = json.RootElement;

        var input = Assert.Single(root.GetProperty("__inputs").EnumerateArray());
        Assert.Equal(("DS_PROMETHEUS", "datasource", "prometheus"), (input.GetProperty("name").GetString(), input.GetProperty("type").GetString(), input.GetProperty("pluginId").GetString()));
        Assert.Contains(root.GetProperty("templating").GetProperty("list").EnumerateArray(), v => v.GetProperty("name").GetString() == "DS_PROMETHEUS" && v.GetProperty("type").GetString() == "datasource");
        var sources = Panels(root).SelectMany(p => p.TryGetProperty("targets", out var t) ? t.EnumerateArray().Prepend(p) : [])
            .Select(e => e.GetProperty("datasource").GetProperty("uid").GetString())
            .ToList();
        Assert.NotEmpty(sources);
        Assert.All(sources, uid => Assert.Equal("${DS_PROMETHEUS}", uid));
        var ids = Panels(root).Select(p => p.GetProperty("id").GetInt32()).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    private static int PanelsWithExpressions(string path)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(path));
        return Panels(json.RootElement).Count(p => p.TryGetProperty("targets", out var targets)
            && targets.EnumerateArray().Any(t => t.TryGetProperty("expr", out var e) && !string.IsNullOrWhiteSpace(e.GetString())));
    }

    private static IEnumerable<JsonElement> Panels(JsonElement container) =>
        container.TryGetProperty("panels", out var panels)
            ? panels.EnumerateArray().SelectMany(p => Panels(p).Prepend(p))
            : [];
}

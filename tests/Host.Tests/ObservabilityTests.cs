using System.Diagnostics;
using System.Globalization;
using System.Net;
using Scanflow.Engine.Ledger;

namespace Scanflow.Host.Tests;

/// <summary>The observability issue against the real <c>scanflow run</c> process and a real <c>promtool</c>: metrics,
/// health and readiness on one listener, and <c>scanflow calibrate --metrics-file</c>.</summary>
public sealed class ObservabilityTests : IDisposable
{
    private const double TruePwvMm = 0.5; // the simulator's default

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "scanflow-host-tests", Guid.NewGuid().ToString("N"));

    private string Store => Path.Combine(_directory, "store");

    private string Drop => Path.Combine(_directory, "drop");

    private string Output => Path.Combine(_directory, "l1");

    /// <summary>One small night through the real service: its scrape is promtool-clean and shows the ingestion, process and
    /// pipeline metrics with values that match the night, every dashboard query finds its series, and health and
    /// readiness answer (readiness fails once the drop directory is gone).</summary>
    [Fact]
    public async Task Run_serves_promtool_clean_metrics_that_match_the_night_health_and_readiness()
    {
        var started = DateTimeOffset.UtcNow;
        using var service = await CalibrateNightAsync();
        var url = await service.MetricsUrlAsync();

        var text = await ScrapeUntilAsync(url, m => Value(m, "scanflow_waiting_scans") == 1);
        var (exitCode, problems) = Promtool(text);
        Assert.True(exitCode == 0 && problems.Length == 0, $"promtool check metrics exited {exitCode}:\n{problems}");
        var metrics = Parse(text);
        Assert.Equal(0, Value(metrics, "scanflow_ingest_backlog_files"));
        Assert.Equal(1, Value(metrics, "scanflow_waiting_scans"));
        // Space on the output disk: plenty here, so intake runs, and the floor is the automatic minimum (tiny products).
        Assert.Equal(0, Value(metrics, "scanflow_intake_paused"));
        Assert.Equal(OutputSpaceFloor.AutomaticMinimumBytes, Value(metrics, "scanflow_output_free_floor_bytes"));
        Assert.InRange(Value(metrics, "scanflow_output_free_bytes"), OutputSpaceFloor.AutomaticMinimumBytes, double.MaxValue);
        Assert.InRange(Value(metrics, "process_cpu_seconds_total"), 0.01, 3600);
        Assert.InRange(Value(metrics, "process_start_time_seconds"), DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        Assert.InRange(Value(metrics, "process_working_set_bytes"), 1 << 20, 64L << 30);
        Assert.InRange(Value(metrics, "process_open_handles"), 1, 100_000);
        Assert.InRange(Value(metrics, "dotnet_total_memory_bytes"), 1, 64L << 30);

        foreach (var stage in new[] { "load", "calibrate", "atmosphere", "prepare", "write" })
        {
            Assert.True(Series(metrics, "scanflow_stage_duration_seconds_count", ("stage", stage)).Sum() >= 1, $"no duration for stage {stage}:\n{text}");
            Assert.True(Series(metrics, "scanflow_stage_items_total", ("stage", stage)).Sum() >= 1, $"no items for stage {stage}:\n{text}");
            Assert.Equal([0.0], Series(metrics, "scanflow_stage_queue_depth", ("stage", stage)));
            Assert.Equal([0.0], Series(metrics, "scanflow_stage_in_flight", ("stage", stage)));
        }

        Assert.True(Series(metrics, "scanflow_stage_items_total", ("stage", "load"), ("outcome", "failed")).Sum() >= 1, text);
        Assert.Equal([2.0], Series(metrics, "scanflow_scans_total", ("band", "LFA"), ("outcome", "succeeded")));
        Assert.Equal([1.0], Series(metrics, "scanflow_scans_total", ("band", "HFA"), ("outcome", "failed")));
        // Bytes read counts ON counts, the bulk of a raw file: the two LFA scans' in full (the HFA one failed before its ON dumps).
        var lfa = Scanflow.Engine.Formats.RawScanFile.ReadHeader(Path.Combine(Store, "scan_000002_LFA_tp.h5"));
        Assert.Equal(2.0 * lfa.OnDumps * lfa.DumpBytes, Value(metrics, "scanflow_bytes_read_total"));
        Assert.InRange(Value(metrics, "scanflow_bytes_written_total"), Directory.GetFiles(Output, "*.l1.h5").Sum(f => new FileInfo(f).Length), double.MaxValue);
        Assert.InRange(Value(metrics, "scanflow_last_success_timestamp_seconds"), started.ToUnixTimeSeconds() - 1, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1);
        // Noise-free simulation: the fit recovers the injected PWV closely; Tsys and Trx are physical and Trx < Tsys.
        Assert.InRange(Series(metrics, "scanflow_pwv_mm", ("band", "LFA")).Single(), TruePwvMm * 0.9, TruePwvMm * 1.1);
        var tsys = Series(metrics, "scanflow_tsys_median_kelvin", ("band", "LFA")).Single();
        var trx = Series(metrics, "scanflow_trx_median_kelvin", ("band", "LFA")).Single();
        Assert.InRange(tsys, 20, 20_000);
        Assert.InRange(trx, 5, tsys);

        // Every PromQL expression of the Grafana dashboard names only series this scrape has.
        var exposed = text.Split('\n').Where(l => l.Length > 0 && l[0] != '#').Select(l => l[..l.IndexOfAny(['{', ' '])]).ToHashSet(StringComparer.Ordinal);
        var expressions = DashboardQueries.Expressions(Repository.PathOf("deploy", "grafana", "scanflow-dashboard.json"));
        Assert.NotEmpty(expressions);
        foreach (var expression in expressions)
        {
            foreach (var name in DashboardQueries.MetricNames(expression))
            {
                Assert.True(exposed.Contains(name), $"the dashboard's {expression} names {name}, which the service does not expose");
            }
        }

        var health = await Http.GetAsync(new Uri(url, "/healthz"));
        Assert.Equal((HttpStatusCode.OK, "ok"), (health.StatusCode, await health.Content.ReadAsStringAsync()));
        var ready = await Http.GetAsync(new Uri(url, "/readyz"));
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);

        Directory.Delete(Drop, recursive: true);
        var notReady = await Http.GetAsync(new Uri(url, "/readyz"));
        var why = await notReady.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
        Assert.Equal($"drop: {Drop} cannot be read: it does not exist", why.Trim());
        Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync(new Uri(url, "/healthz"))).StatusCode);
        Assert.Equal(0, (await service.TerminateAsync()).ExitCode);
    }

    [Fact]
    public void Calibrate_writes_its_metrics_file_by_rename_and_promtool_accepts_it()
    {
        Simulate("--scans", "2");
        var file = Path.Combine(_directory, "textfile", "scanflow.prom");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);

        var result = ScanflowProcess.Run("calibrate", Store, "--output", Output, "--metrics-file", file);

        Assert.True(result.ExitCode == 0, result.Output + result.Errors);
        Assert.Equal(["scanflow.prom"], Directory.GetFiles(Path.GetDirectoryName(file)!).Select(Path.GetFileName));
        var text = File.ReadAllText(file);
        var (exitCode, problems) = Promtool(text);
        Assert.True(exitCode == 0 && problems.Length == 0, $"promtool check metrics exited {exitCode}:\n{problems}");
        // node-exporter publishes its own process_* series; the textfile must not collide with them.
        Assert.DoesNotContain("process_", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_with_its_metrics_port_taken_stops_with_one_sentence_naming_the_url()
    {
        Directory.CreateDirectory(Drop);
        using var taken = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var url = $"http://127.0.0.1:{((IPEndPoint)taken.LocalEndpoint).Port}/metrics";

        using var service = new ServiceProcess(new Dictionary<string, string>(), "--drop", Drop, "--output", Output, "--metrics-url", url);

        Assert.Equal(1, await service.ExitAsync(60));
        Assert.Contains($"scanflow run: cannot listen at {url} (", service.Log, StringComparison.Ordinal);
        Assert.Contains("set Scanflow:MetricsUrl", service.Log, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(Output, LedgerWriter.DefaultFileName)), "the ledger was opened before the listener was up");
    }

    [Fact]
    public void Calibrate_with_trace_console_prints_one_trace_per_scan_with_a_span_per_stage()
    {
        Simulate("--scans", "2");

        var result = ScanflowProcess.Run("calibrate", Store, "--output", Output, "--trace-console");

        Assert.True(result.ExitCode == 0, result.Output + result.Errors);
        var spans = result.Output.Split('\n').Where(l => l.StartsWith("Activity.DisplayName:", StringComparison.Ordinal)).Select(l => l.Split(':', 2)[1].Trim()).ToList();
        Assert.Equal(2, spans.Count(s => s == "scan"));
        foreach (var stage in new[] { "load", "calibrate", "atmosphere", "prepare", "write", "record" })
        {
            Assert.Equal(2, spans.Count(s => s == stage));
        }

        Assert.Contains("scan.id: 2", result.Output, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    /// <summary>A small night with one of each outcome: two LFA scans calibrated, an HFA scan that fails in load (its
    /// calibration's hot load is NaN), a truncated file rejected, and a science scan left WAITING; returns once the
    /// ledger holds them all.</summary>
    private async Task<ServiceProcess> CalibrateNightAsync()
    {
        Simulate("--scans", "2");
        Simulate("--scans", "1", "--band", "HFA", "--first-scan-id", "50");
        Damage(
            """
            import h5py, numpy as np, os, shutil, sys
            os.chdir(sys.argv[1])
            shutil.copy('scan_000002_LFA_tp.h5', 'truncated.h5')
            os.truncate('truncated.h5', os.path.getsize('truncated.h5') // 2)
            with h5py.File('scan_000050_HFA_cal.h5', 'r+') as f:
                f['hot/counts'][...] = np.nan
            shutil.copy('scan_000003_LFA_tp.h5', 'orphan.h5')
            with h5py.File('orphan.h5', 'r+') as f:
                f.attrs['scan_id'] = 901; f.attrs['start_mjd'] = f.attrs['start_mjd'] + 2.0
            """);
        Directory.CreateDirectory(Drop);
        var service = new ServiceProcess(
            new Dictionary<string, string> { ["SCANFLOW__RescanSeconds"] = "1", ["SCANFLOW__ShutdownGraceSeconds"] = "20" },
            "--drop", Drop, "--output", Output, "--settle-seconds", "0.5");
        await service.WaitForAsync("watching");
        foreach (var file in Directory.GetFiles(Store, "*.h5"))
        {
            File.Copy(file, Path.Combine(Drop, Path.GetFileName(file)));
        }

        var ledger = Path.Combine(Output, LedgerWriter.DefaultFileName);
        var watch = Stopwatch.StartNew();
        while (!Recorded(ledger))
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(90), "the night was not recorded in time. Log:\n" + service.Log);
            await Task.Delay(200);
        }

        return service;
    }

    private static bool Recorded(string ledger)
    {
        if (!File.Exists(ledger))
        {
            return false;
        }

        using var reader = LedgerReader.Open(ledger);
        return reader.Scans(ScanStatus.Succeeded).Count == 2 && reader.Scans(ScanStatus.Failed).Count == 1
            && reader.Scans(ScanStatus.Waiting).Count == 1 && reader.RejectedFiles().Count == 1;
    }

    /// <summary>Scrapes until <paramref name="ready"/> holds (gauges follow the ledger within one ingestion tick).</summary>
    private static async Task<string> ScrapeUntilAsync(Uri url, Func<Dictionary<string, double>, bool> ready)
    {
        var text = "";
        for (var i = 0; i < 50; i++)
        {
            text = await Http.GetStringAsync(url);
            if (ready(Parse(text)))
            {
                break;
            }

            await Task.Delay(200);
        }

        return text;
    }

    /// <summary>Lines of the text exposition as series → value ("name{labels}" as written).</summary>
    private static Dictionary<string, double> Parse(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => !l.StartsWith('#'))
            .Select(l => (Series: l[..l.LastIndexOf(' ')], Value: l[(l.LastIndexOf(' ') + 1)..]))
            .ToDictionary(p => p.Series, p => double.Parse(p.Value, CultureInfo.InvariantCulture), StringComparer.Ordinal);

    private static double Value(Dictionary<string, double> metrics, string name) =>
        metrics.TryGetValue(name, out var value) ? value : throw new Xunit.Sdk.XunitException($"no series {name}");

    /// <summary>Values of every series of <paramref name="name"/> carrying all the given labels (values compared ignoring case).</summary>
    private static double[] Series(Dictionary<string, double> metrics, string name, params (string Label, string Value)[] labels) =>
        [.. metrics.Where(m => m.Key.StartsWith(name + "{", StringComparison.Ordinal)
                && labels.All(l => m.Key.Contains($"{l.Label}=\"{l.Value}\"", StringComparison.OrdinalIgnoreCase)))
            .Select(m => m.Value)];

    /// <summary>The real <c>promtool check metrics</c> on stdin: its exit code and whatever it printed.</summary>
    private static (int ExitCode, string Problems) Promtool(string exposition)
    {
        const string promtool = "/usr/bin/promtool";
        Assert.True(File.Exists(promtool), "promtool is missing; run ./test.sh, which installs the Debian package 'prometheus'");
        using var process = Process.Start(new ProcessStartInfo(promtool, ["check", "metrics"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(exposition);
        process.StandardInput.Close();
        process.WaitForExit();
        return (process.ExitCode, (stdout.GetAwaiter().GetResult() + stderr.GetAwaiter().GetResult()).Trim());
    }

    private void Simulate(params string[] args)
    {
        var result = ScanflowProcess.Run(["simulate", "--output", Store, "--pixels", "2", "--channels", "64", "--no-noise", .. args]);
        Assert.True(result.ExitCode == 0, result.Errors);
    }

    private void Damage(string script) => StoreDamage.Apply(_directory, Store, script);
}

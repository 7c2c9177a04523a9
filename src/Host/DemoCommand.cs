using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Scanflow.Engine.Formats;
using Scanflow.Engine.Ledger;
using Scanflow.Engine.Model;
using Scanflow.Engine.Simulation;

namespace Scanflow.Host;

/// <summary><c>scanflow demo</c>: a simulated night through the real service. Starts <c>scanflow run</c>, drops scans
/// into its drop directory over ~30 s (a calibration first, a science scan before its calibration, a corrupt file),
/// waits for them, stops the service with SIGTERM and compares every product with the injected truth. The service keeps
/// the night's QA report current in DIR/report, and the demo says where to watch it while it runs.</summary>
internal static partial class DemoCommand
{
    private const string Marker = ".scanflow-demo";

    // The service's "metrics at URL" and "report at URL" lines; written by the child's output handler, read after it is up.
    private static volatile string? _metricsUrl;
    private static volatile string? _reportUrl;

    // Set by the child's "watching" line: scans dropped before it would all be found at once by the first listing, and
    // the science scan dropped before its calibration would not be seen to wait.
    private static readonly TaskCompletionSource Watching = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static Command Create()
    {
        var output = new Option<DirectoryInfo>("--output")
        {
            Description = "Working directory for the demo (staging/, drop/ and l1/ inside it)",
            DefaultValueFactory = _ => new DirectoryInfo("demo-output"),
        };
        var seconds = new Option<double>("--seconds") { Description = "Seconds over which the scans are dropped", DefaultValueFactory = _ => 30 };
        var command = new Command("demo", "Run the service on a simulated night and compare the products with the truth") { output, seconds };
        command.SetAction((result, cancellation) => RunAsync(result.GetValue(output)!.FullName, Math.Max(0, result.GetValue(seconds))));
        return command;
    }

    private static async Task<int> RunAsync(string directory, double seconds)
    {
        if (Directory.Exists(directory) && Directory.EnumerateFileSystemEntries(directory).Any() && !File.Exists(Path.Combine(directory, Marker)))
        {
            await Console.Error.WriteLineAsync($"scanflow demo: {directory} exists and is not a demo directory; choose another --output");
            return 1;
        }

        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        var staging = Path.Combine(directory, "staging");
        var drop = Path.Combine(directory, "drop");
        var l1 = Path.Combine(directory, "l1");
        Directory.CreateDirectory(drop);
        File.WriteAllText(Path.Combine(directory, Marker), "scanflow demo working directory; safe to delete\n");

        Console.WriteLine($"Simulating a night into {staging}");
        ScanSimulator.Run(new SimulationOptions { OutputDirectory = staging, Band = Band.Lfa, Mode = ObsMode.TotalPower, Scans = 3, FirstScanId = 1, Seed = 1 });
        var truth = ScanSimulator.Run(new SimulationOptions
        {
            OutputDirectory = staging,
            Band = Band.Hfa,
            Mode = ObsMode.OnTheFly,
            Scans = 2,
            FirstScanId = 101,
            Seed = 2,
            OnDumps = 400,
            OffDumps = 10,
        });
        var corrupt = Path.Combine(staging, "scan_000099_LFA_tp.h5");
        File.Copy(Path.Combine(staging, truth.Science[0].File), corrupt);
        using (var cut = new FileStream(corrupt, FileMode.Open))
        {
            cut.SetLength(cut.Length / 3);
        }

        // The night's order: the LFA calibration first; an HFA science scan before its calibration; a corrupt file.
        string[] order =
        [
            truth.Calibrations[0].File, truth.Science[0].File, truth.Science[1].File, truth.Science[3].File, Path.GetFileName(corrupt),
            truth.Calibrations[1].File, truth.Science[4].File, truth.Science[2].File,
        ];

        var ledger = LedgerLocation.Of(ledger: null, output: l1);
        var report = Path.Combine(directory, "report");
        using var service = StartService(drop, l1, report);
        Console.WriteLine($"Started the service (pid {service.Id}): scanflow run --drop {drop} --output {l1} --report-dir {report}");
        await Task.WhenAny(Watching.Task, service.WaitForExitAsync());
        if (_reportUrl is { } url)
        {
            Console.WriteLine($"QA report, kept current while the service runs: {url} (open it in a browser; it fills in as the scans are calibrated)");
        }

        foreach (var file in order)
        {
            await Task.Delay(TimeSpan.FromSeconds(seconds / order.Length));
            var part = Path.Combine(drop, file + RawScanWriter.PartialSuffix);
            File.Copy(Path.Combine(staging, file), part);
            File.Move(part, Path.Combine(drop, file));
            Console.WriteLine($"dropped {file}");
        }

        var done = await WaitForAsync(ledger, truth.Science.Count, service);
        var scraped = await ScrapeAsync();
        Console.WriteLine("Stopping the service (SIGTERM)");
        Signals.Terminate(service.Id);
        await service.WaitForExitAsync();
        Console.WriteLine($"The service stopped with exit code {service.ExitCode}");

        Console.WriteLine();
        Console.WriteLine($"L1 products: {l1}");
        Console.WriteLine($"Ledger:      {ledger} (scanflow status --ledger {ledger})");
        Console.WriteLine($"Metrics:     {_metricsUrl ?? "(the service did not say where)"} while the service ran (scanflow run serves Scanflow:MetricsUrl, by default {ServiceSettings.DefaultMetricsUrl})");
        foreach (var line in scraped)
        {
            Console.WriteLine($"             {line}");
        }

        Console.WriteLine($"Report:      {_reportUrl ?? "(the service did not say where)"} while the service ran, kept current in {report} (Scanflow:ReportDir)");

        Console.WriteLine();
        Console.WriteLine("Comparison with the injected truth:");
        Console.WriteLine($"{"scan",6} {"band",4} {"mode",4} {"PWV fit",9} {"PWV true",9} {"peak T_A*",10} {"peak true",10} {"rms resid",10}  file");
        foreach (var product in Directory.GetFiles(l1, "*.l1.h5").Order(StringComparer.Ordinal))
        {
            var c = TruthComparison.Compare(product, truth);
            var science = truth.Science.Single(s => s.ScanId == c.ScanId);
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{c.ScanId,6} {truth.CalibrationOf(science).Band,4} {science.ObsMode,4} {c.PwvMm,9:F4} {c.TruePwvMm,9:F4} {c.PeakRecoveredK,10:F3} {c.PeakTruthK,10:F3} {c.RmsResidualK,10:F3}  {Path.GetFileName(product)}"));
        }

        Console.WriteLine($"Done: {Directory.GetFiles(l1, "*.l1.h5").Length} L1 products in {l1} (format {L1Format.Name} v{L1Format.Version}); truth in {Path.Combine(staging, SimulationTruth.FileName)}");
        Console.WriteLine();
        var drifting = await DriftingNightDemo.RunAsync(Path.Combine(directory, "drift"));
        var reported = await ReportAsync(ledger, report);
        return done && drifting && reported && service.ExitCode == 0 ? 0 : 2;
    }

    /// <summary><c>scanflow report</c> of the night's ledger, into the directory the service kept it in: the page a person
    /// opens to judge the night, and a check that the command writes what the service served.</summary>
    private static async Task<bool> ReportAsync(string ledger, string output)
    {
        var (exitCode, errors) = await SelfProcess.RunAsync("report", "--ledger", ledger, "--output", output);
        Console.WriteLine();
        if (exitCode != 0)
        {
            await Console.Error.WriteLineAsync($"scanflow demo: scanflow report failed: {errors}");
            return false;
        }

        Console.WriteLine($"QA report of the night: {Path.Combine(output, "index.html")} (open it in a browser; per scan: qa.json and plots beside each product)");
        return true;
    }

    /// <summary>The same executable, as <c>scanflow run</c>, with a short settle time; its log lines are passed through.</summary>
    private static Process StartService(string drop, string output, string report)
    {
        // Port 0: the demo must not collide with a service already on 9464; the real port is read from its log.
        var start = SelfProcess.StartInfo(
            "run", "--drop", drop, "--output", output, "--report-dir", report, "--settle-seconds", "1", "--metrics-url", "http://127.0.0.1:0/metrics");
        start.Environment["SCANFLOW__RescanSeconds"] = "2";
        start.Environment["SCANFLOW__ShutdownGraceSeconds"] = "20";
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => Echo(e.Data);
        process.ErrorDataReceived += (_, e) => Echo(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static void Echo(string? line)
    {
        if (line is not null && MetricsAt().Match(line) is { Success: true } match)
        {
            _metricsUrl = match.Groups[1].Value;
        }

        if (line is not null && ReportAt().Match(line) is { Success: true } report)
        {
            _reportUrl = report.Groups[1].Value;
        }

        if (line is not null && line.Contains("] watching ", StringComparison.Ordinal))
        {
            Watching.TrySetResult();
        }

        if (!string.IsNullOrWhiteSpace(line))
        {
            Console.WriteLine($"  service | {line.Trim()}");
        }
    }

    /// <summary>One scrape of the service's metrics for the closing summary: scan counts, PWV and Tsys per band, and
    /// the ingestion gauges; zero series are left out.</summary>
    private static async Task<IReadOnlyList<string>> ScrapeAsync()
    {
        if (_metricsUrl is null)
        {
            return [];
        }

        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            var text = await http.GetStringAsync(new Uri(_metricsUrl));
            string[] shown = ["scanflow_scans_total", "scanflow_pwv_mm", "scanflow_tsys_median_kelvin", "scanflow_ingest_", "scanflow_waiting_"];
            return [.. text.Split('\n').Where(l => shown.Any(m => l.StartsWith(m, StringComparison.Ordinal)) && !l.EndsWith(" 0", StringComparison.Ordinal))];
        }
        catch (HttpRequestException e)
        {
            return [$"(scrape failed: {e.Message})"];
        }
    }

    [GeneratedRegex(@"metrics at (\S+)")]
    private static partial Regex MetricsAt();

    [GeneratedRegex(@"report at (\S+)")]
    private static partial Regex ReportAt();

    /// <summary>Polls the ledger until every science scan is SUCCEEDED (at most two minutes).</summary>
    private static async Task<bool> WaitForAsync(string ledger, int scans, Process service)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromMinutes(2) && !service.HasExited)
        {
            if (File.Exists(ledger))
            {
                using var reader = LedgerReader.Open(ledger);
                if (reader.Scans(ScanStatus.Succeeded).Count >= scans)
                {
                    return true;
                }
            }

            await Task.Delay(250);
        }

        await Console.Error.WriteLineAsync($"scanflow demo: not every scan was calibrated within {watch.Elapsed.TotalSeconds:F0} s");
        return false;
    }
}

using System.CommandLine;
using System.Globalization;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Scanflow.Blocks;
using Scanflow.Engine.Ledger;
using Scanflow.Engine.Planning;
using Scanflow.Engine.Processing;
using Scanflow.Engine.Science;
using Spectre.Console;

namespace Scanflow.Host;

/// <summary><c>scanflow calibrate INPUT... --output DIR</c>: plans a store, streams it through the graph, and reports.</summary>
internal static class CalibrateCommand
{
    public static Command Create()
    {
        var inputs = new Argument<string[]>("INPUT") { Description = "Directories (searched recursively for *.h5, *.hdf5) or raw scan files", Arity = ArgumentArity.OneOrMore };
        var output = new Option<DirectoryInfo>("--output") { Description = "Directory for the L1 products and failures.json", Required = true };
        var maxAge = new Option<double>("--max-calibration-age") { Description = "Minutes between a science scan and its calibration scan at most", DefaultValueFactory = _ => 30 };
        var select = new Option<string[]>("--select") { Description = "Only these science scans: band=LFA|HFA, source=NAME, scan=ID or FIRST-LAST, mjd=FROM-TO (repeatable, all must match)" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the plan (each science scan and its calibration, or why it is excluded) and write nothing" };
        var chunkMb = new Option<double>("--chunk-mb") { Description = "MiB of ON counts per chunk (memory in flight scales with it)", DefaultValueFactory = _ => ScanChunking.DefaultChunkBytes / (double)(1 << 20) };
        var parallelism = new Option<string[]>("--parallelism") { Description = "Per-stage parallelism, STAGE=N (load, calibrate, atmosphere, prepare, write); repeatable" };
        var capacity = new Option<string[]>("--capacity") { Description = "Per-stage queue bound in chunks, STAGE=N; repeatable" };
        var jmode = new Option<string>("--jmode") { Description = "Radiation temperature: planck, callen_welton or rj (test only)", DefaultValueFactory = _ => "planck" };
        jmode.AcceptOnlyFromAmong("planck", "callen_welton", "rj");
        var grace = new Option<double>("--grace") { Description = "Seconds scans in flight get to finish after Ctrl+C or SIGTERM", DefaultValueFactory = _ => 30 };
        var ledger = new Option<FileInfo?>("--ledger") { Description = $"Ledger database (default: OUTPUT/{LedgerWriter.DefaultFileName})" };
        var versionPolicy = new Option<string>("--version-policy") { Description = "compatible: an engine upgrade alone does not recalibrate; exact: products of another engine version are redone", DefaultValueFactory = _ => "compatible" };
        versionPolicy.AcceptOnlyFromAmong("compatible", "exact");
        var maxRetries = new Option<int>("--max-retries") { Description = "Retries of a scan after a transient failure (I/O error, locked or full disk)", DefaultValueFactory = _ => 3 };
        var retryDelay = new Option<double>("--retry-delay") { Description = "Seconds before the first retry; doubles each time", DefaultValueFactory = _ => 2 };
        var metricsFile = new Option<FileInfo?>("--metrics-file") { Description = "At the end, write the run's metrics here in the Prometheus text format (for node-exporter's textfile collector, e.g. DIR/scanflow.prom)" };
        var traceConsole = new Option<bool>("--trace-console") { Description = "Print every trace span on the console (OTLP export is set with OTEL_EXPORTER_OTLP_ENDPOINT)" };

        var command = new Command("calibrate", "Calibrate a store of raw scans into L1 products")
        {
            inputs, output, maxAge, select, dryRun, chunkMb, parallelism, capacity, jmode, grace, ledger, versionPolicy, maxRetries, retryDelay,
            metricsFile, traceConsole,
        };
        command.SetAction((result, cancellation) =>
        {
            try
            {
                DefaultMetrics.ForTextfile();
                _ = JModeNames.TryParse(result.GetValue(jmode)!, out var mode);
                var planning = new PlanningOptions
                {
                    MaxCalibrationAge = Minutes(result.GetValue(maxAge), "--max-calibration-age"),
                    Selection = ScanSelection.Parse(result.GetValue(select) ?? []),
                };
                var pipeline = StageSettings.Apply(
                    new PipelineOptions
                    {
                        OutputDirectory = result.GetValue(output)!.FullName,
                        Calibration = new CalibrationOptions { JMode = mode },
                        ChunkBytes = (long)(result.GetValue(chunkMb) * (1 << 20)),
                        Grace = TimeSpan.FromSeconds(Math.Max(0, result.GetValue(grace))),
                        RetryBaseDelay = TimeSpan.FromSeconds(Math.Max(0, result.GetValue(retryDelay))),
                        Metrics = new PipelineMetrics(Prometheus.Metrics.DefaultRegistry),
                    },
                    result.GetValue(parallelism) ?? [],
                    result.GetValue(capacity) ?? []);
                if (pipeline.Validate() is { } problem)
                {
                    throw new ArgumentException(problem);
                }

                if (result.GetValue(metricsFile) is { } file && !Directory.Exists(file.DirectoryName))
                {
                    throw new ArgumentException($"--metrics-file {file.FullName}: the directory {file.DirectoryName} does not exist");
                }

                if (result.GetValue(maxRetries) is < 0 or > 100)
                {
                    throw new ArgumentException($"--max-retries must be between 0 and 100 (got {result.GetValue(maxRetries)})");
                }

                var ledgerSettings = new LedgerSettings(
                    result.GetValue(ledger)?.FullName ?? Path.Combine(pipeline.OutputDirectory, LedgerWriter.DefaultFileName),
                    new LedgerOptions
                    {
                        VersionPolicy = result.GetValue(versionPolicy) == "exact" ? VersionPolicy.Exact : VersionPolicy.Compatible,
                        MaxRetries = result.GetValue(maxRetries),
                    });
                var observability = new CalibrateObservability(result.GetValue(metricsFile)?.FullName, result.GetValue(traceConsole));
                return RunAsync(
                    result.GetValue(inputs)!, planning, pipeline, ledgerSettings, result.GetValue(dryRun), observability);
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine($"scanflow calibrate: {e.Message}");
                return Task.FromResult(1);
            }
        });
        return command;
    }

    public static async Task<int> RunAsync(
        IReadOnlyList<string> inputs, PlanningOptions planning, PipelineOptions pipeline, LedgerSettings ledgerSettings, bool dryRun,
        CalibrateObservability? observability = null)
    {
        var plan = StorePlanner.Plan(inputs, planning);
        if (dryRun)
        {
            PrintPlan(plan);
            return 0;
        }

        if (plan.Scans.Count == 0 && !plan.Failures.Any())
        {
            Console.Error.WriteLine($"scanflow calibrate: no science scans to calibrate in {string.Join(", ", inputs)} ({planning.Selection.Describe()})");
            return 1;
        }

        Directory.CreateDirectory(pipeline.OutputDirectory);
        var summary = new RunSummary(plan);
        var interactive = ProgressDisplay.Interactive;
        foreach (var failure in plan.Failures.Where(_ => !interactive))
        {
            Console.WriteLine($"{failure.FilePath}: FAILED in plan: {failure.Reason}");
        }

        // Spans of this run; disposing the provider at the end flushes them to the exporters.
        using var tracing = Tracing.Configure(Sdk.CreateTracerProviderBuilder(), observability?.TraceConsole ?? false).Build();
        using var signal = new ShutdownSignal();
        using var ledger = LedgerWriter.Open(ledgerSettings.Path, ledgerSettings.Options, pipeline.Time);
        using var calibration = new CalibrationRunner(pipeline, new SqliteScanLedger(ledger, pipeline.OutputDirectory, pipeline.Calibration), outcome =>
        {
            summary.Add(outcome);
            if (!interactive)
            {
                Console.WriteLine(RunSummary.Describe(outcome));
            }
        });
        using var now = signal.Now.Register(calibration.CancelInFlight);
        var run = calibration.RunAsync(plan.Scans, signal.Stop);
        await ProgressDisplay.FollowAsync(calibration, run, summary, plan.Scans.Count);
        await run;
        foreach (var recovered in calibration.Recovered)
        {
            Console.WriteLine($"scan {recovered.ScanId} ({recovered.Band}) was left running by a run that died; requeued");
        }

        summary.ToFailureReport(DateTimeOffset.UtcNow).Save(pipeline.OutputDirectory);
        summary.Print(AnsiConsole.Console, calibration.BytesRead);
        Console.WriteLine($"L1 products and {FailureReport.FileName} in {pipeline.OutputDirectory}; ledger {ledgerSettings.Path}");
        if (observability?.MetricsFile is { } metricsFile)
        {
            try
            {
                await MetricsFile.WriteAsync(metricsFile);
                Console.WriteLine($"metrics in {metricsFile}");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"scanflow calibrate: cannot write --metrics-file {metricsFile}: {e.Message}");
                return 1;
            }
        }

        return summary.ExitCode;
    }

    private static void PrintPlan(StorePlan plan)
    {
        var table = new Table().Title("plan (dry run: nothing is written)").AddColumns("science scan", "band", "source", "calibration", "Δt", "file");
        foreach (var scan in plan.Scans)
        {
            table.AddRow(
                scan.Science.ScanId.ToString(CultureInfo.InvariantCulture), scan.Science.Band.ToString().ToUpperInvariant(), Markup.Escape(scan.Science.Source),
                scan.Calibration.ScanId.ToString(CultureInfo.InvariantCulture), string.Create(CultureInfo.InvariantCulture, $"{scan.CalibrationOffset.TotalMinutes:+0.0;-0.0} min"),
                Markup.Escape(scan.Science.FilePath));
        }

        AnsiConsole.Write(table);
        if (plan.Excluded.Count > 0)
        {
            var excluded = new Table().Title("excluded").AddColumns("scan", "kind", "file", "reason");
            foreach (var e in plan.Excluded)
            {
                excluded.AddRow(
                    e.ScanId?.ToString(CultureInfo.InvariantCulture) ?? "–", e.Kind == ExclusionKind.Failed ? "failed" : "not selected",
                    Markup.Escape(e.FilePath), Markup.Escape(e.Reason));
            }

            AnsiConsole.Write(excluded);
        }

        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{plan.Scans.Count} science scans to calibrate with {plan.Calibrations.Count} calibration scans; {plan.Failures.Count()} failed; {plan.Excluded.Count(e => e.Kind == ExclusionKind.NotSelected)} not selected; {plan.IgnoredFiles} other files ignored"));
    }

    private static TimeSpan Minutes(double value, string option) =>
        value > 0 && double.IsFinite(value) ? TimeSpan.FromMinutes(value) : throw new ArgumentException($"{option} must be a positive number of minutes (got {value})");
}

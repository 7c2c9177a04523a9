using System.CommandLine;
using System.Data.Common;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Scanflow.Blocks;
using Scanflow.Engine.Formats;
using Scanflow.Engine.Ledger;
using Scanflow.Engine.Model;
using Scanflow.Engine.Planning;
using Scanflow.Engine.Processing;
using Spectre.Console;

namespace Scanflow.Host;

/// <summary><c>scanflow calibrate INPUT... --output DIR</c>: plans a store, streams it through the graph, and reports.</summary>
internal static class CalibrateCommand
{
    public static Command Create()
    {
        var inputs = new Argument<string[]>("INPUT") { Description = "Directories (searched recursively for *.h5, *.hdf5) or raw scan files", Arity = ArgumentArity.OneOrMore };
        var select = new Option<string[]>("--select") { Description = "Only these science scans: band=LFA|HFA, source=NAME, scan=ID or FIRST-LAST, mjd=FROM-TO (repeatable, all must match)" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the plan (each science scan and its calibration, or why it is excluded; with --limit, the cut) and write nothing" };
        var limit = new Option<int?>("--limit") { Description = "At most N science scans not yet calibrated, in start order (a night at a time); the rest are left for a later run", HelpName = "N" };
        var metricsFile = new Option<FileInfo?>("--metrics-file") { Description = "At the end, write the run's metrics here in the Prometheus text format (for node-exporter's textfile collector, e.g. DIR/scanflow.prom)" };
        var settings = new RunSettingsFlags(service: false);

        var command = new Command("calibrate", "Calibrate a store of raw scans into L1 products") { inputs, select, dryRun, limit, metricsFile };
        settings.AddTo(command);
        command.SetAction((result, cancellation) =>
        {
            // A bad option throws an ArgumentException or UserErrorException, which Program turns into one sentence and exit 1.
            DefaultMetrics.ForTextfile();
            using var configuration = new ConfigurationManager();
            var run = settings.Read(result, configuration);
            var selection = ScanSelection.Parse(result.GetValue(select) ?? []);
            if (result.GetValue(limit) is < 1 and var n)
            {
                throw new UserErrorException($"--limit must be at least 1 science scan (got {n})");
            }

            if (result.GetValue(metricsFile) is { } file && !Directory.Exists(file.DirectoryName))
            {
                throw new UserErrorException($"--metrics-file {file.FullName}: the directory {file.DirectoryName} does not exist");
            }

            var observability = new CalibrateObservability(result.GetValue(metricsFile)?.FullName, run.TraceConsole);
            return RunAsync(result.GetValue(inputs)!, run, selection, result.GetValue(dryRun), result.GetValue(limit), observability);
        });
        return command;
    }

    public static async Task<int> RunAsync(
        IReadOnlyList<string> inputs, RunSettings settings, ScanSelection selection, bool dryRun, int? limit, CalibrateObservability observability)
    {
        var planning = settings.ToPlanningOptions(selection);
        var plan = StorePlanner.Plan(inputs, planning);
        ScanLimit? cut;
        try
        {
            cut = limit is { } n ? ScanLimit.Cut(plan.Scans, n, settings.Ledger, settings.ConfigSha256) : null;
        }
        catch (Exception e) when (LedgerFile.IsLedgerFailure(e))
        {
            throw new UserErrorException($"--limit needs the ledger: {LedgerFile.Problem(settings.Ledger, e)}", e);
        }

        if (dryRun)
        {
            PrintPlan(plan, cut, settings.GainInterpolation == GainInterpolation.Linear);
            return 0;
        }

        if (plan.Scans.Count == 0 && !plan.Failures.Any())
        {
            Console.Error.WriteLine($"scanflow calibrate: no science scans to calibrate in {string.Join(", ", inputs)} ({planning.Selection.Describe()})");
            return 1;
        }

        if (cut is { Taken.Count: 0 } && !plan.Failures.Any())
        {
            Console.WriteLine($"{cut.Describe()}: nothing left to calibrate; ledger {settings.Ledger}");
            return 0;
        }

        var pipeline = settings.ToPipelineOptions(TimeProvider.System, new PipelineMetrics(Prometheus.Metrics.DefaultRegistry)) with
        {
            PlotsDrawn = plots =>
            {
                foreach (var warning in plots.Warnings)
                {
                    Console.WriteLine($"scan {plots.ScanId} {plots.Band}: {warning}");
                }
            },
        };
        var scans = cut?.Taken ?? plan.Scans;
        // The ledger first: a damaged one stops the run before anything is made; a full disk ends it as a disk that fills during the run does.
        LedgerWriter ledger;
        try
        {
            ledger = LedgerFile.OpenWriter(settings.Ledger, settings.ToLedgerOptions(), pipeline.Time);
        }
        catch (UserErrorException e) when (OutputDisk.IsFull(e.InnerException))
        {
            return LedgerUnwritable(settings.Ledger);
        }

        using var ledgerWriter = ledger;
        OutputDirectory.Create(pipeline.OutputDirectory);
        var summary = new RunSummary(plan, cut);
        var interactive = ProgressDisplay.Interactive;
        foreach (var failure in plan.Failures.Where(_ => !interactive))
        {
            Console.WriteLine($"{failure.FilePath}: FAILED in plan: {failure.Reason}");
        }

        if (cut is not null)
        {
            Console.WriteLine(cut.Describe());
        }

        // Spans of this run; disposing the provider at the end flushes them to the exporters.
        using var tracing = Tracing.Configure(Sdk.CreateTracerProviderBuilder(), observability.TraceConsole).Build();
        using var signal = new ShutdownSignal();
        using var calibration = new CalibrationRunner(pipeline, new SqliteScanLedger(ledger, pipeline.OutputDirectory, pipeline.Calibration) { ReattachSlurm = pipeline.Slurm is not null }, outcome =>
        {
            summary.Add(outcome);
            if (!interactive)
            {
                Console.WriteLine(RunSummary.Describe(outcome));
            }
        });
        using var now = signal.Now.Register(calibration.CancelInFlight);
        var run = calibration.RunAsync(scans, signal.Stop);
        try
        {
            await ProgressDisplay.FollowAsync(calibration, run, summary, scans.Count);
            await run;
        }
        catch (Exception e) when (OutputDisk.IsFull(e))
        {
            // The ledger could not be written before any scan was claimed (its disk was full from the start).
            return LedgerUnwritable(settings.Ledger);
        }
        catch (DbException e)
        {
            throw new UserErrorException(LedgerFile.Problem(settings.Ledger, e), e);
        }

        foreach (var recovered in calibration.Recovered)
        {
            Console.WriteLine($"scan {recovered.ScanId} ({recovered.Band}) was left running by a run that died; requeued");
        }

        if (calibration.DiskFull is not null)
        {
            // Nothing writes to the full disk any more: the ledger's reserve (if a late record did not use it) makes room for failures.json.
            ledger.ReleaseReserve();
        }

        var failures = summary.ToFailureReport(DateTimeOffset.UtcNow);
        var report = failures.TrySave(pipeline.OutputDirectory);
        summary.Print(AnsiConsole.Console, calibration.BytesRead);
        Console.WriteLine(report is null
            ? $"L1 products and {FailureReport.FileName} in {pipeline.OutputDirectory}; ledger {settings.Ledger}"
            : $"L1 products in {pipeline.OutputDirectory}; ledger {settings.Ledger}");
        if (calibration.DiskFull is { } full)
        {
            await Console.Error.WriteLineAsync(DiskFullSentence(full, summary, calibration.Unrecorded.Count, report, pipeline.OutputDirectory));
            return 2;
        }

        if (report is not null)
        {
            await Console.Error.WriteLineAsync($"scanflow calibrate: {FailureReport.FileName} could not be written to {pipeline.OutputDirectory} ({report})");
        }

        if (summary.ExitCode == 1 && failures.Failures is [var first, ..])
        {
            // Nothing calibrated: the one line on stderr says why, with the first failure (the table above has them all).
            await Console.Error.WriteLineAsync(
                $"scanflow calibrate: no scan was calibrated; {failures.Failed} failed, the first: {FailureLine(first)}; every failure is in {Path.Combine(pipeline.OutputDirectory, FailureReport.FileName)}");
        }

        if (observability.MetricsFile is { } metricsFile)
        {
            try
            {
                await MetricsFile.WriteAsync(metricsFile);
                Console.WriteLine($"metrics in {metricsFile}");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new UserErrorException($"cannot write --metrics-file {metricsFile} ({e.Message.TrimEnd('.')}); give it a file in a directory scanflow may write to", e);
            }
        }

        return summary.ExitCode;
    }

    /// <summary>A failure as one clause: its reason, after its file unless the reason names the file already.</summary>
    private static string FailureLine(FailureEntry failure) =>
        failure.Reason.Contains(failure.File, StringComparison.Ordinal) ? failure.Reason : $"{failure.File}: {failure.Reason}";

    /// <summary>The one sentence of a run that stopped on a full output disk: what it did, what it could not write, what to do.</summary>
    private static string DiskFullSentence(string full, RunSummary summary, int unrecorded, string? reportProblem, string output)
    {
        var notStarted = summary.Cancelled > 0 ? $", {summary.Cancelled} not started" : "";
        var ledger = unrecorded > 0 ? $"; {unrecorded} outcomes could not be recorded in the ledger either (the next run redoes those scans)" : "";
        var report = reportProblem is null ? "" : $"; {FailureReport.FileName} could not be written ({reportProblem})";
        return $"scanflow calibrate: {full}: the run stopped taking scans after {summary.Succeeded} calibrated{notStarted}{ledger}{report}; "
            + $"free space on {OutputDisk.MountPoint(output)} and run again (scans already calibrated are skipped)";
    }

    private static int LedgerUnwritable(string ledger)
    {
        Console.Error.WriteLine(
            $"scanflow calibrate: {OutputDisk.Full(Path.GetDirectoryName(ledger) ?? ledger)}: the ledger {ledger} cannot be written, so nothing was calibrated; "
            + $"free space on {OutputDisk.MountPoint(ledger)} and run again");
        return 2;
    }

    /// <summary>C₂ and how long after the scan's last ON dump it starts, or why there is none (calibration.md §7.10).</summary>
    private static string LaterCalibration(PlannedScan scan) => scan.LaterCalibration is { } later
        ? string.Create(CultureInfo.InvariantCulture, $"{later.ScanId}, {TimeSpan.FromDays(later.StartMjd - scan.Science.LastOnMjd).TotalMinutes:0.0} min after the last ON dump")
        : $"none: {scan.GainInterpolationNote}";

    private static void PrintPlan(StorePlan plan, ScanLimit? cut, bool interpolate)
    {
        var table = new Table().Title("plan (dry run: nothing is written)").AddColumns("science scan", "band", "source", "calibration", "Δt", "file");
        if (interpolate)
        {
            table.AddColumn("C₂ (gain interpolation)");
        }

        foreach (var scan in plan.Scans)
        {
            string[] row =
            [
                scan.Science.ScanId.ToString(CultureInfo.InvariantCulture), ModelNames.Of(scan.Science.Band), Markup.Escape(scan.Science.Source),
                scan.Calibration.ScanId.ToString(CultureInfo.InvariantCulture), string.Create(CultureInfo.InvariantCulture, $"{scan.CalibrationOffset.TotalMinutes:+0.0;-0.0} min"),
                Markup.Escape(scan.Science.FilePath),
            ];
            table.AddRow(interpolate ? [.. row, Markup.Escape(LaterCalibration(scan))] : row);
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

        var limited = "";
        if (cut is not null)
        {
            PrintCut(cut);
            limited = $"; {cut.Done.Count} already calibrated; {cut.Later.Count} left for a later run (--limit {cut.Limit})";
        }

        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{cut?.Taken.Count ?? plan.Scans.Count} science scans to calibrate with {plan.Calibrations.Count} calibration scans; {plan.Failures.Count()} failed; {plan.Excluded.Count(e => e.Kind == ExclusionKind.NotSelected)} not selected{limited}; {plan.IgnoredFiles} other files ignored"));
    }

    /// <summary>One plain line per science scan, in start order: in this run, already calibrated (with its product) or
    /// left for a later run, and why.</summary>
    private static void PrintCut(ScanLimit cut)
    {
        var lines = cut.Taken.Select(s => (Scan: s, Line: "in this run"))
            .Concat(cut.Done.Select(d => (d.Scan, Line: $"already calibrated: {d.Product}")))
            .Concat(cut.Later.Select(s => (Scan: s, Line: cut.LaterReason)))
            .OrderBy(l => l.Scan.Science.StartMjd).ThenBy(l => l.Scan.Science.ScanId);
        foreach (var (scan, line) in lines)
        {
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"limit: scan {scan.Science.ScanId} {ModelNames.Of(scan.Science.Band)} (start MJD {scan.Science.StartMjd:0.000000}): {line}"));
        }
    }
}

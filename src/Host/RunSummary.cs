using System.Diagnostics;
using System.Globalization;
using Scanflow.Blocks;
using Scanflow.Engine.Model;
using Scanflow.Engine.Planning;
using Spectre.Console;

namespace Scanflow.Host;

/// <summary>Collects the outcomes of a calibrate run and turns them into the summary table, failures.json and the exit
/// code: 0 all calibrated or skipped, 2 some failed or were cancelled, 1 none calibrated. Scans <c>--limit</c> left out
/// as already calibrated count as skipped.</summary>
internal sealed class RunSummary(StorePlan plan, ScanLimit? cut)
{
    private readonly Lock _gate = new();
    private readonly List<ScanOutcome> _outcomes = [];
    private readonly Stopwatch _elapsed = Stopwatch.StartNew();

    public int Done
    {
        get
        {
            lock (_gate)
            {
                return _outcomes.Count;
            }
        }
    }

    public int Succeeded => Count(ScanOutcomeStatus.Succeeded);

    public int Cancelled => Count(ScanOutcomeStatus.Cancelled);

    public int Skipped => Count(ScanOutcomeStatus.Skipped);

    public int Failed => Count(ScanOutcomeStatus.Failed) + plan.Failures.Count();

    /// <summary>Skipped scans (already calibrated, or held by another run) count as done.</summary>
    public int ExitCode => Succeeded + Skipped + (cut?.Done.Count ?? 0) == 0 ? 1 : Failed + Cancelled > 0 ? 2 : 0;

    public void Add(ScanOutcome outcome)
    {
        lock (_gate)
        {
            _outcomes.Add(outcome);
        }
    }

    /// <summary>One line per scan, for logs when the output is not a terminal.</summary>
    public static string Describe(ScanOutcome o) => o.Status switch
    {
        ScanOutcomeStatus.Succeeded => string.Create(
            CultureInfo.InvariantCulture,
            $"scan {o.Scan.Science.ScanId}: calibrated → {o.Product!.Path} ({(o.Finished - o.Started).TotalSeconds:F1} s){string.Concat(o.QualityWarnings.Select(w => "; " + w))}"),
        ScanOutcomeStatus.Cancelled => $"scan {o.Scan.Science.ScanId}: {o.Error}",
        ScanOutcomeStatus.Skipped => $"scan {o.Scan.Science.ScanId}: skipped, {o.Error}",
        _ => $"scan {o.Scan.Science.ScanId}: FAILED in {Stage(o.FailedStage)}: {o.Error}",
    };

    public FailureReport ToFailureReport(DateTimeOffset now)
    {
        var entries = plan.Failures.Select(f => new FailureEntry(f.ScanId, f.FilePath, "plan", f.Reason, null)).ToList();
        lock (_gate)
        {
            entries.AddRange(_outcomes
                .Where(o => o.Status == ScanOutcomeStatus.Failed)
                .Select(o => new FailureEntry(o.Scan.Science.ScanId, o.Scan.Science.FilePath, Stage(o.FailedStage), o.Error ?? "", o.Scan.Calibration.ScanId)));
        }

        return new FailureReport(now, entries.Count, entries);
    }

    public void Print(IAnsiConsole console, long bytesRead)
    {
        var seconds = Math.Max(_elapsed.Elapsed.TotalSeconds, 1e-3);
        var table = new Table().Title("scanflow calibrate").AddColumns("", "scans");
        table.AddRow("calibrated", Succeeded.ToString(CultureInfo.InvariantCulture));
        table.AddRow("skipped", Skipped.ToString(CultureInfo.InvariantCulture));
        table.AddRow("failed", Failed.ToString(CultureInfo.InvariantCulture));
        table.AddRow("cancelled", Cancelled.ToString(CultureInfo.InvariantCulture));
        table.AddRow("not selected", plan.Excluded.Count(e => e.Kind == ExclusionKind.NotSelected).ToString(CultureInfo.InvariantCulture));
        if (cut is not null)
        {
            table.AddRow("already calibrated (--limit)", cut.Done.Count.ToString(CultureInfo.InvariantCulture));
            table.AddRow("left for later (--limit)", cut.Later.Count.ToString(CultureInfo.InvariantCulture));
        }

        table.AddRow("time", string.Create(CultureInfo.InvariantCulture, $"{seconds:F1} s"));
        table.AddRow("read", string.Create(CultureInfo.InvariantCulture, $"{bytesRead / 1e6:F1} MB at {bytesRead / 1e6 / seconds:F1} MB/s"));
        console.Write(table);

        var failures = ToFailureReport(DateTimeOffset.UtcNow).Failures;
        if (failures.Count == 0)
        {
            return;
        }

        var failed = new Table().Title("failures").AddColumns("scan", "stage", "file", "reason");
        foreach (var f in failures.Take(20))
        {
            failed.AddRow(
                Markup.Escape(f.ScanId?.ToString(CultureInfo.InvariantCulture) ?? "–"), f.Stage, Markup.Escape(Path.GetFileName(f.File)), Markup.Escape(f.Reason));
        }

        console.Write(failed);
        if (failures.Count > 20)
        {
            console.MarkupLine(Markup.Escape($"… and {failures.Count - 20} more in {FailureReport.FileName}"));
        }
    }

    private static string Stage(PipelineStage? stage) => stage is { } s ? PipelineStages.Name(s) : "-";

    private int Count(ScanOutcomeStatus status)
    {
        lock (_gate)
        {
            return _outcomes.Count(o => o.Status == status);
        }
    }
}

using System.CommandLine;
using Scanflow.Engine.Ledger;

namespace Scanflow.Host;

/// <summary><c>scanflow show SCAN_ID</c>: every ledger row of one scan (one per band and configuration) with its
/// provenance and every attempt with the products it made (L1 file, QA metrics, plots). Plain lines, not a table, so
/// checksums and paths are never wrapped.</summary>
internal static class ShowCommand
{
    public static Command Create()
    {
        var ledger = new LedgerFlags();
        var scanId = new Argument<long>("SCAN_ID") { Description = "The science scan number" };
        var command = new Command("show", "Show one scan's full history and provenance: inputs and checksums, configuration, engine version, products, attempts") { scanId };
        ledger.AddTo(command);
        command.SetAction(result => LedgerAccess.Read("show", ledger, result, (reader, path) =>
        {
            var id = result.GetValue(scanId);
            var rows = reader.History(id);
            if (rows.Count == 0)
            {
                return LedgerAccess.Fail("show", $"scan {LedgerAccess.Invariant(id)} is not in the ledger {path}");
            }

            Console.Out.Write(Describe(rows, row => reader.Attempts(row.RowId), row => reader.ProductsOf(row.RowId)));
            return 0;
        }));
        return command;
    }

    public static string Describe(
        IReadOnlyList<ScanRecord> rows, Func<ScanRecord, IReadOnlyList<AttemptRecord>> attempts, Func<ScanRecord, IReadOnlyList<ProductRecord>> products)
    {
        var text = new System.Text.StringBuilder();
        foreach (var row in rows)
        {
            if (text.Length > 0)
            {
                text.AppendLine();
            }

            text.AppendLine($"scan {LedgerAccess.Invariant(row.ScanId)} {row.Band} (ledger row {LedgerAccess.Invariant(row.RowId)}): {LedgerAccess.Name(row.Status)} after {LedgerAccess.Invariant(row.Attempts)} attempt(s)");
            Line(text, "source", $"{row.Source}, {row.ObsMode}, start MJD {LedgerAccess.Mjd(row.StartMjd)}");
            Line(text, "input", row.InputPath);
            Line(text, "input sha256", $"{row.InputSha256} ({LedgerAccess.Invariant(row.InputBytes)} bytes)");
            for (var i = 0; i < row.CalibrationScanIds.Count; i++)
            {
                Line(text, "calibration", $"scan {LedgerAccess.Invariant(row.CalibrationScanIds[i])} sha256 {(i < row.CalibrationSha256.Count ? row.CalibrationSha256[i] : "–")}");
            }

            Line(text, "config sha256", row.ConfigSha256);
            Line(text, "engine version", row.EngineVersion);
            Line(text, "L1", row.L1Path);
            Line(text, "L1 sha256", row.L1Sha256 ?? "–");
            if (row.Error is { } error)
            {
                Line(text, "error", $"{LedgerAccess.Name(row.FailureKind) ?? "?"} in {row.Stage ?? "?"}: {error}");
            }

            Line(text, "started", LedgerAccess.Time(row.StartedUtc));
            Line(text, "finished", LedgerAccess.Time(row.FinishedUtc));
            Line(text, "updated", LedgerAccess.Time(row.UpdatedUtc));
            var byAttempt = products(row).ToLookup(p => p.Attempt);
            foreach (var attempt in attempts(row))
            {
                text.AppendLine($"  attempt {LedgerAccess.Invariant(attempt.Attempt)}: {LedgerAccess.Name(attempt.Status)} (run {attempt.RunId})");
                Line(text, "started", LedgerAccess.Time(attempt.StartedUtc), indent: 4);
                Line(text, "finished", LedgerAccess.Time(attempt.FinishedUtc), indent: 4);
                if (attempt.StageDurations.Count > 0)
                {
                    Line(text, "stages", string.Join(", ", ExportCommand.OrderedStages(attempt.StageDurations.Keys).Select(s => $"{s} {LedgerAccess.Seconds(attempt.StageDurations[s])}")), indent: 4);
                }

                if (attempt.Error is { } attemptError)
                {
                    Line(text, "error", $"{LedgerAccess.Name(attempt.FailureKind) ?? "?"} in {attempt.Stage ?? "?"}: {attemptError}", indent: 4);
                }

                if (attempt.SlurmTask is { } task)
                {
                    Line(text, "slurm", Slurm(attempt, task), indent: 4);
                }

                Line(text, "input sha256", attempt.InputSha256, indent: 4);
                Line(text, "config sha256", attempt.ConfigSha256, indent: 4);
                Line(text, "engine version", attempt.EngineVersion, indent: 4);
                Line(text, "L1", $"{attempt.L1Path} sha256 {attempt.L1Sha256 ?? "–"}", indent: 4);
                foreach (var product in byAttempt[attempt.Attempt])
                {
                    // Where the file is now: a product set aside under a versioned name is listed under that name.
                    Line(text, "product", $"{product.Type} {product.Path} ({LedgerAccess.Invariant(product.Bytes)} bytes) sha256 {product.Sha256}", indent: 4);
                }
            }
        }

        return text.ToString();
    }

    private static void Line(System.Text.StringBuilder text, string label, string value, int indent = 2) =>
        text.Append(' ', indent).Append(label).Append(": ").AppendLine(value);

    /// <summary>The SLURM array task that ran an attempt: job and task, then what it reported with the scan's result.</summary>
    private static string Slurm(AttemptRecord attempt, int task)
    {
        var where = $"job {attempt.SlurmJobId ?? "(not yet known)"} task {LedgerAccess.Invariant(task)}";
        return attempt.SlurmNode is { } node
            ? string.Create(
                System.Globalization.CultureInfo.InvariantCulture,
                $"{where} on {node}, elapsed {attempt.SlurmElapsedSeconds:0.0} s, CPU {attempt.SlurmCpuSeconds:0.0} s, MaxRSS {attempt.SlurmMaxRssBytes / (1 << 20)} MiB")
            : where;
    }
}

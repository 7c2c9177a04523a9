using System.CommandLine;
using System.Globalization;
using System.Text;
using Scanflow.Blocks;
using Scanflow.Engine.Ledger;

namespace Scanflow.Host;

/// <summary><c>scanflow export --csv FILE</c>: the telemetry table, one row per attempt, RFC 4180, invariant culture.</summary>
internal static class ExportCommand
{
    /// <summary>The graph's stages in flow order; each has a <c>&lt;stage&gt;_s</c> column even when no attempt reached it.</summary>
    private static readonly string[] GraphStages = [.. PipelineStages.All.Select(PipelineStages.Name)];

    private static readonly string[] Columns =
    [
        "row_id", "scan_id", "band", "source", "obs_mode", "start_mjd", "attempt", "run_id", "status", "stage", "failure_kind", "error",
        "started_utc", "finished_utc", "duration_s", "input_path", "input_sha256", "input_bytes", "calibration_scan_ids", "calibration_sha256",
        "config_sha256", "engine_version", "l1_path", "l1_sha256",
    ];

    public static Command Create()
    {
        var ledger = new LedgerFlags();
        var csv = new Option<FileInfo>("--csv") { Description = "CSV file to write (replaced if it exists): one row per attempt", Required = true };
        var command = new Command("export", "Export the ledger's telemetry, one row per attempt, as CSV") { csv };
        ledger.AddTo(command);
        command.SetAction(result => LedgerAccess.Read("export", ledger, result, (reader, _) =>
        {
            var file = result.GetValue(csv)!;
            var attempts = reader.Attempts();
            var rows = reader.Scans().ToDictionary(s => s.RowId);
            try
            {
                using var writer = new StreamWriter(file.FullName, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
                Write(attempts, rows, writer);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return LedgerAccess.Fail("export", $"cannot write {file.FullName}: {e.Message}");
            }

            Console.WriteLine($"{LedgerAccess.Invariant(attempts.Count)} attempts of {LedgerAccess.Invariant(rows.Count)} scans written to {file.FullName}");
            return 0;
        }));
        return command;
    }

    /// <summary>The header, then one line per attempt (CRLF-terminated); scan columns are empty for an attempt whose row is unknown.</summary>
    public static void Write(IReadOnlyList<AttemptRecord> attempts, IReadOnlyDictionary<long, ScanRecord> rows, TextWriter output)
    {
        var stages = OrderedStages(attempts.SelectMany(a => a.StageDurations.Keys).Concat(GraphStages).Distinct(StringComparer.Ordinal)).ToList();
        WriteRecord(output, [.. Columns, .. stages.Select(s => $"{s}_s")]);
        foreach (var a in attempts)
        {
            rows.TryGetValue(a.RowId, out var row);
            WriteRecord(output,
            [
                Number(a.RowId), Number(a.ScanId), a.Band, row?.Source, row?.ObsMode, row is null ? null : row.StartMjd.ToString("R", CultureInfo.InvariantCulture),
                Number(a.Attempt), a.RunId, LedgerAccess.Name(a.Status), a.Stage, LedgerAccess.Name(a.FailureKind), a.Error,
                LedgerAccess.ExactTime(a.StartedUtc), LedgerAccess.ExactTime(a.FinishedUtc), a.FinishedUtc is { } end ? Seconds(end - a.StartedUtc) : null,
                row?.InputPath, a.InputSha256, row is null ? null : Number(row.InputBytes),
                row is null ? null : string.Join(';', row.CalibrationScanIds.Select(Number)), row is null ? null : string.Join(';', row.CalibrationSha256),
                a.ConfigSha256, a.EngineVersion, a.L1Path, a.L1Sha256,
                .. stages.Select(s => a.StageDurations.TryGetValue(s, out var d) ? Seconds(d) : null),
            ]);
        }
    }

    /// <summary>Stage names in graph order, then any others alphabetically.</summary>
    public static IEnumerable<string> OrderedStages(IEnumerable<string> stages) =>
        stages.OrderBy(s => Array.IndexOf(GraphStages, s) is var i and >= 0 ? i : int.MaxValue).ThenBy(s => s, StringComparer.Ordinal);

    /// <summary>RFC 4180: a field with a comma, quote, CR or LF is quoted and its quotes doubled; records end with CRLF.</summary>
    public static string Field(string? value) =>
        value is null ? "" : value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;

    private static void WriteRecord(TextWriter output, IEnumerable<string?> fields)
    {
        output.Write(string.Join(',', fields.Select(Field)));
        output.Write("\r\n");
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Seconds(TimeSpan duration) => duration.TotalSeconds.ToString("0.######", CultureInfo.InvariantCulture);
}

using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using Scanflow.Engine.Ledger;
using Spectre.Console;

namespace Scanflow.Host;

/// <summary><c>scanflow scans [--status S] [--source X] [--since MJD] [--json]</c>: the ledger's rows, as a table or JSON.</summary>
internal static class ScansCommand
{
    public static Command Create()
    {
        var ledger = new LedgerFlags();
        var status = new Option<string>("--status") { Description = $"Only rows with this status: {string.Join(", ", LedgerAccess.StatusNames)} (any case)" };
        var source = new Option<string>("--source") { Description = "Only rows of this source (exact name)" };
        var since = new Option<double?>("--since") { Description = "Only scans that started at or after this MJD (UTC)" };
        var json = new Option<bool>("--json") { Description = "Print a JSON array (snake_case fields) instead of a table" };
        var command = new Command("scans", "List the scans in the ledger with their status, attempts and product") { status, source, since, json };
        ledger.AddTo(command);
        command.SetAction(result =>
        {
            ScanStatus? wanted = null;
            if (result.GetValue(status) is { } text)
            {
                if (!LedgerAccess.TryParseStatus(text, out var parsed))
                {
                    return LedgerAccess.Fail("scans", $"--status must be one of {string.Join(", ", LedgerAccess.StatusNames)} (got '{text}')");
                }

                wanted = parsed;
            }

            if (result.GetValue(since) is { } mjd && !double.IsFinite(mjd))
            {
                return LedgerAccess.Fail("scans", $"--since must be an MJD (got {mjd})");
            }

            return LedgerAccess.Read("scans", ledger, result, (reader, _) =>
            {
                var rows = reader.Scans(wanted, result.GetValue(source), result.GetValue(since));
                if (result.GetValue(json))
                {
                    using var stdout = Console.OpenStandardOutput();
                    WriteJson(rows, stdout);
                }
                else
                {
                    PrintTable(rows, LedgerAccess.TableConsole());
                }

                return 0;
            });
        });
        return command;
    }

    public static void PrintTable(IReadOnlyList<ScanRecord> rows, IAnsiConsole console)
    {
        var table = new Table().AddColumns("scan", "band", "source", "mode", "start MJD", "status", "attempts", "updated", "product / error");
        foreach (var row in rows)
        {
            var detail = row.Status switch
            {
                ScanStatus.Succeeded or ScanStatus.Skipped => Path.GetFileName(row.L1Path),
                _ when row.Error is { } error => LedgerAccess.Abbreviate($"{row.Stage ?? "?"}: {error}", 60),
                _ => "",
            };
            table.AddRow(
                LedgerAccess.Invariant(row.ScanId), Markup.Escape(row.Band), Markup.Escape(row.Source), Markup.Escape(row.ObsMode), LedgerAccess.Mjd(row.StartMjd),
                LedgerAccess.Name(row.Status), LedgerAccess.Invariant(row.Attempts), LedgerAccess.Time(row.UpdatedUtc), Markup.Escape(detail));
        }

        console.Write(table);
        console.WriteLine($"{LedgerAccess.Invariant(rows.Count)} rows");
    }

    /// <summary>One object per row; field names are stable (scripts read them): see docs/operations.md.</summary>
    public static void WriteJson(IReadOnlyList<ScanRecord> rows, Stream output)
    {
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        json.WriteStartArray();
        foreach (var row in rows)
        {
            json.WriteStartObject();
            json.WriteNumber("row_id", row.RowId);
            json.WriteNumber("scan_id", row.ScanId);
            json.WriteString("band", row.Band);
            json.WriteString("source", row.Source);
            json.WriteString("obs_mode", row.ObsMode);
            json.WriteNumber("start_mjd", row.StartMjd);
            json.WriteString("status", LedgerAccess.Name(row.Status));
            json.WriteNumber("attempts", row.Attempts);
            json.WriteString("stage", row.Stage);
            json.WriteString("error", row.Error);
            json.WriteString("failure_kind", LedgerAccess.Name(row.FailureKind));
            json.WriteString("input_path", row.InputPath);
            json.WriteString("input_sha256", row.InputSha256);
            json.WriteNumber("input_bytes", row.InputBytes);
            json.WriteStartArray("calibration_scan_ids");
            foreach (var id in row.CalibrationScanIds)
            {
                json.WriteNumberValue(id);
            }

            json.WriteEndArray();
            json.WriteStartArray("calibration_sha256");
            foreach (var sha in row.CalibrationSha256)
            {
                json.WriteStringValue(sha);
            }

            json.WriteEndArray();
            json.WriteString("config_sha256", row.ConfigSha256);
            json.WriteString("engine_version", row.EngineVersion);
            json.WriteString("l1_path", row.L1Path);
            json.WriteString("l1_sha256", row.L1Sha256);
            json.WriteString("started_utc", LedgerAccess.ExactTime(row.StartedUtc));
            json.WriteString("finished_utc", LedgerAccess.ExactTime(row.FinishedUtc));
            json.WriteString("updated_utc", LedgerAccess.ExactTime(row.UpdatedUtc));
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.Flush();
        output.WriteByte((byte)'\n');
    }
}

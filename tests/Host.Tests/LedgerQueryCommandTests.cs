using System.Text.Json;
using System.Text.RegularExpressions;
using Scanflow.Engine.Formats;
using Scanflow.Engine.Ledger;

namespace Scanflow.Host.Tests;

/// <summary><c>scanflow status | scans | show | export</c> against the real process over one calibrated store and its ledger (read only).</summary>
public sealed class LedgerQueryCommandTests : IClassFixture<LedgerQueryCommandTests.Fixture>
{
    private readonly Fixture _fixture;

    public LedgerQueryCommandTests(Fixture fixture) => _fixture = fixture;

    private LedgerStore Store => _fixture.Store;

    [Fact]
    public void Status_counts_rows_by_status_and_band_and_says_when_the_last_success_was()
    {
        var result = ScanflowProcess.Run("status", "--ledger", Store.Ledger);

        Assert.True(result.ExitCode == 0, result.Errors);
        // Columns: status, HFA, LFA, total.
        Assert.Matches(new Regex(@"SUCCEEDED\W+0\W+3\W+3\W"), result.Output);
        Assert.Matches(new Regex(@"FAILED\W+1\W+1\W+2\W"), result.Output);
        Assert.Matches(new Regex(@"total\W+1\W+4\W+5\W"), result.Output);
        Assert.Matches(new Regex(@"last success: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"), result.Output);
        Assert.Contains("oldest pending: none", result.Output, StringComparison.Ordinal);
        Assert.Contains("last hour: 3 scans calibrated from", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Scans_json_lists_every_row_with_stable_snake_case_fields()
    {
        var result = ScanflowProcess.Run("scans", "--ledger", Store.Ledger, "--json");

        Assert.True(result.ExitCode == 0, result.Errors);
        using var json = JsonDocument.Parse(result.Output);
        var rows = json.RootElement.EnumerateArray().ToList();
        Assert.Equal([2L, 3L, 4L, 90L, 91L], rows.Select(r => r.GetProperty("scan_id").GetInt64()).Order());
        var first = rows.Single(r => r.GetProperty("scan_id").GetInt64() == 2);
        Assert.Equal(
            [
                "row_id", "scan_id", "band", "source", "obs_mode", "start_mjd", "status", "attempts", "stage", "error", "failure_kind", "input_path",
                "input_sha256", "input_bytes", "calibration_scan_ids", "calibration_sha256", "config_sha256", "engine_version", "l1_path", "l1_sha256",
                "started_utc", "finished_utc", "updated_utc",
            ],
            first.EnumerateObject().Select(p => p.Name));
        Assert.Equal("SUCCEEDED", first.GetProperty("status").GetString());
        Assert.Equal(FileChecksum.Sha256(Store.Products[0]), first.GetProperty("l1_sha256").GetString());
        Assert.Equal(JsonValueKind.Null, first.GetProperty("failure_kind").ValueKind);
        Assert.Equal(1, first.GetProperty("calibration_scan_ids")[0].GetInt64());
        var failed = rows.Single(r => r.GetProperty("scan_id").GetInt64() == LedgerStore.PermanentFailure);
        Assert.Equal(("FAILED", "PERMANENT", "load", LedgerStore.TrickyError), (failed.GetProperty("status").GetString(), failed.GetProperty("failure_kind").GetString(), failed.GetProperty("stage").GetString(), failed.GetProperty("error").GetString()));
    }

    [Theory]
    [InlineData(new[] { "--status", "failed" }, new long[] { 90, 91 })]
    [InlineData(new[] { "--status", "SUCCEEDED" }, new long[] { 2, 3, 4 })]
    [InlineData(new[] { "--source", "OrionKL" }, new long[] { 2 })]
    [InlineData(new[] { "--source", "nobody" }, new long[0])]
    [InlineData(new[] { "--since", "61367.4" }, new long[] { 90, 91 })]
    [InlineData(new[] { "--since", "99999" }, new long[0])]
    [InlineData(new[] { "--since", "0", "--status", "FAILED", "--source", "orion-kl" }, new long[] { 90, 91 })]
    public void Scans_filters_by_status_source_and_start(string[] filter, long[] expected)
    {
        var result = ScanflowProcess.Run(["scans", "--ledger", Store.Ledger, "--json", .. filter]);

        Assert.True(result.ExitCode == 0, result.Errors);
        using var json = JsonDocument.Parse(result.Output);
        Assert.Equal(expected, json.RootElement.EnumerateArray().Select(r => r.GetProperty("scan_id").GetInt64()).Order());
    }

    [Fact]
    public void Scans_prints_a_table_by_default()
    {
        var result = ScanflowProcess.Run("scans", "--ledger", Store.Ledger);

        Assert.True(result.ExitCode == 0, result.Errors);
        Assert.Contains("scan_000002_LFA.l1.h5", result.Output, StringComparison.Ordinal);
        Assert.Matches(new Regex(@"91\W+HFA\W.*FAILED"), result.Output);
        Assert.Contains("5 rows", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Scans_rejects_an_unknown_status_with_one_sentence()
    {
        var result = ScanflowProcess.Run("scans", "--ledger", Store.Ledger, "--status", "DONE");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--status must be one of PENDING, RUNNING, SUCCEEDED, FAILED, CANCELLED, SKIPPED, WAITING (got 'DONE')", result.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public void Show_prints_the_provenance_and_every_attempt_of_a_scan()
    {
        var product = Store.Products[0];
        var input = Path.Combine(Store.Store, "scan_000002_LFA_tp.h5");

        var result = ScanflowProcess.Run("show", "2", "--ledger", Store.Ledger);

        Assert.True(result.ExitCode == 0, result.Errors);
        Assert.Contains("scan 2 LFA", result.Output, StringComparison.Ordinal);
        Assert.Contains("SUCCEEDED", result.Output, StringComparison.Ordinal);
        Assert.Contains($"input: {input}", result.Output, StringComparison.Ordinal);
        Assert.Contains($"input sha256: {FileChecksum.Sha256(input)}", result.Output, StringComparison.Ordinal);
        Assert.Contains($"calibration: scan 1 sha256 {FileChecksum.Sha256(Store.CalibrationFile)}", result.Output, StringComparison.Ordinal);
        Assert.Contains($"L1: {product}", result.Output, StringComparison.Ordinal);
        Assert.Contains($"L1 sha256: {FileChecksum.Sha256(product)}", result.Output, StringComparison.Ordinal);
        Assert.Contains("config sha256: ", result.Output, StringComparison.Ordinal);
        Assert.Contains("engine version: ", result.Output, StringComparison.Ordinal);
        Assert.Contains("attempt 1: SUCCEEDED", result.Output, StringComparison.Ordinal);
        Assert.Matches(new Regex(@"stages: load \d+\.\d{3} s"), result.Output);
    }

    [Fact]
    public void Show_prints_the_error_of_a_failed_scan()
    {
        var result = ScanflowProcess.Run("show", "91", "--ledger", Store.Ledger);

        Assert.True(result.ExitCode == 0, result.Errors);
        Assert.Contains("scan 91 HFA", result.Output, StringComparison.Ordinal);
        Assert.Contains("error: TRANSIENT in write: No space left on device", result.Output, StringComparison.Ordinal);
        Assert.Contains("stages: load 0.500 s, calibrate 1.250 s, write 0.125 s", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Show_of_a_scan_not_in_the_ledger_exits_1()
    {
        var result = ScanflowProcess.Run("show", "777", "--ledger", Store.Ledger);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"scan 777 is not in the ledger {Store.Ledger}", result.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public void Export_writes_one_parseable_csv_row_per_attempt()
    {
        var csv = Path.Combine(Store.Directory, "telemetry.csv");
        int attempts;
        using (var reader = Store.OpenReader())
        {
            attempts = reader.Attempts().Count;
        }

        var result = ScanflowProcess.Run("export", "--csv", csv, "--ledger", Store.Ledger);

        Assert.True(result.ExitCode == 0, result.Errors);
        Assert.Contains($"{attempts} attempts of 5 scans written to {csv}", result.Output, StringComparison.Ordinal);
        var records = Csv.Parse(File.ReadAllText(csv));
        var header = records[0];
        Assert.Equal(attempts + 1, records.Count);
        Assert.All(records, r => Assert.Equal(header.Count, r.Count));
        Assert.Equal(["row_id", "scan_id", "band"], header.Take(3));
        Assert.Equal(["load_s", "calibrate_s", "atmosphere_s", "prepare_s", "write_s", "record_s"], header.TakeLast(6));
        var rows = records.Skip(1).Select(r => header.Zip(r).ToDictionary(p => p.First, p => p.Second)).ToList();
        var failed = rows.Single(r => r["scan_id"] == "90");
        Assert.Equal(("FAILED", "PERMANENT", "load", LedgerStore.TrickyError, "0.25"), (failed["status"], failed["failure_kind"], failed["stage"], failed["error"], failed["load_s"]));
        Assert.Equal("", failed["write_s"]);
        Assert.Equal(3, rows.Count(r => r["status"] == "SUCCEEDED"));
        Assert.All(rows, r => Assert.Matches(new Regex(@"^\d+(\.\d+)?$"), r["start_mjd"]));
    }

    [Fact]
    public void Export_requires_the_csv_option()
    {
        var result = ScanflowProcess.Run("export", "--ledger", Store.Ledger);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--csv", result.Errors, StringComparison.Ordinal);
    }

    /// <summary>The read-only commands and retry all say which ledger is missing, in one sentence, and exit 1.</summary>
    [Theory]
    [InlineData("status")]
    [InlineData("scans")]
    [InlineData("scans", "--json")]
    [InlineData("show", "2")]
    [InlineData("export", "--csv", "out.csv")]
    [InlineData("retry", "--failed")]
    public void A_missing_ledger_is_exit_1_naming_the_path(params string[] args)
    {
        var missing = Path.Combine(Store.Directory, "nowhere", LedgerWriter.DefaultFileName);

        var result = ScanflowProcess.Run([.. args, "--ledger", missing]);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Output);
        Assert.Contains($"scanflow {args[0]}: no ledger at {missing}", result.Errors, StringComparison.Ordinal);
        Assert.Single(result.Errors.Trim().Split('\n'));
        Assert.False(File.Exists(missing));
    }

    [Fact]
    public void The_default_ledger_is_scanflow_ledger_sqlite_in_the_working_directory()
    {
        var result = ScanflowProcess.Run("status");

        // The tests run in bin/, which has no ledger.
        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"no ledger at {Path.Combine(Environment.CurrentDirectory, LedgerWriter.DefaultFileName)}", result.Errors, StringComparison.Ordinal);
    }

    /// <summary>Issue 9: every query command finds the ledger as the run commands do, from Scanflow:Output or
    /// Scanflow:Ledger in a --config file; a Ledger setting wins over Output.</summary>
    [Theory]
    [InlineData(0, "status")]
    [InlineData(0, "scans", "--json")]
    [InlineData(0, "show", "2")]
    [InlineData(0, "export", "--csv", "{dir}/config.csv")]
    [InlineData(0, "verify", "{output}")]
    [InlineData(1, "retry", "--scan", "777")]
    public void Query_commands_find_the_ledger_through_the_settings_of_a_config_file_9(int exitCode, params string[] args)
    {
        args = [.. args.Select(a => a.Replace("{dir}", Store.Directory, StringComparison.Ordinal).Replace("{output}", Store.Output, StringComparison.Ordinal))];
        var byOutput = Path.Combine(Store.Directory, $"by-output-{args[0]}.json");
        File.WriteAllText(byOutput, JsonSerializer.Serialize(new { Scanflow = new { Output = Store.Output } }));
        var missing = Path.Combine(Store.Directory, "nowhere", LedgerWriter.DefaultFileName);
        var byLedger = Path.Combine(Store.Directory, $"by-ledger-{args[0]}.json");
        File.WriteAllText(byLedger, JsonSerializer.Serialize(new { Scanflow = new { Output = Store.Output, Ledger = missing } }));

        var found = ScanflowProcess.Run([.. args, "--config", byOutput]);
        var notFound = ScanflowProcess.Run([.. args, "--config", byLedger]);

        Assert.True(found.ExitCode == exitCode, found.Output + found.Errors);
        Assert.DoesNotContain("no ledger", found.Errors, StringComparison.Ordinal);
        Assert.Equal(1, notFound.ExitCode);
        Assert.Contains($"scanflow {args[0]}: no ledger at {missing}", notFound.Errors, StringComparison.Ordinal);
    }

    /// <summary>Issue 9: --ledger, else Scanflow:Ledger, else --output DIR or Scanflow:Output (flag or environment).</summary>
    [Fact]
    public void Query_commands_find_the_ledger_from_output_and_the_environment_and_ledger_wins_9()
    {
        var missing = Path.Combine(Store.Directory, "nowhere", LedgerWriter.DefaultFileName);

        var byFlag = ScanflowProcess.Run("status", "--output", Store.Output);
        var byEnvironment = ScanflowProcess.Run(new Dictionary<string, string> { ["SCANFLOW__Output"] = Store.Output }, "status");
        var ledgerWins = ScanflowProcess.Run(new Dictionary<string, string> { ["SCANFLOW__Ledger"] = missing }, "status", "--output", Store.Output);
        var flagWins = ScanflowProcess.Run(new Dictionary<string, string> { ["SCANFLOW__Ledger"] = missing }, "status", "--ledger", Store.Ledger);

        Assert.True(byFlag.ExitCode == 0, byFlag.Errors);
        Assert.True(byEnvironment.ExitCode == 0, byEnvironment.Errors);
        Assert.Matches(new Regex(@"SUCCEEDED\W+0\W+3\W+3\W"), byEnvironment.Output);
        Assert.Contains($"no ledger at {missing}", ledgerWins.Errors, StringComparison.Ordinal);
        Assert.True(flagWins.ExitCode == 0, flagWins.Errors);
    }

    public sealed class Fixture : IDisposable
    {
        public LedgerStore Store { get; } = new();

        public void Dispose() => Store.Dispose();
    }
}

using Microsoft.Data.Sqlite;
using Scanflow.Engine.Ledger;
using Scanflow.Engine.Model;

namespace Scanflow.Engine.Tests.Ledger;

/// <summary>A ledger file in a temp folder, a clock, and claims that differ only where a test says.</summary>
internal sealed class LedgerFixture : IDisposable
{
    public static readonly IReadOnlyDictionary<string, TimeSpan> Durations = new Dictionary<string, TimeSpan>
    {
        ["Load"] = TimeSpan.FromSeconds(1.5),
        ["Calibrate"] = TimeSpan.FromSeconds(0.25),
    };

    private readonly TempDirectory _directory = new();

    public string Path => _directory.Combine(LedgerWriter.DefaultFileName);

    public ManualTime Time { get; } = new();

    public LedgerWriter OpenWriter(LedgerOptions? options = null) => LedgerWriter.Open(Path, options ?? new LedgerOptions(), Time);

    /// <summary>A claim of <paramref name="scanId"/>; HFA by default (HFA and LFA sort as the K and Q these tests once used).</summary>
    public static ScanClaim Claim(long scanId, Band band = Band.Hfa, string inputSha = "in-1", string config = "cfg-1", string engine = "1.0.0", string calibrationSha = "cal-1") =>
        new(Waiting(scanId, band, config, engine), inputSha, 1000 + scanId, [scanId - 1], [calibrationSha], null);

    /// <summary>Claims <paramref name="scanId"/> (HFA) with its product beside the ledger, where paths are stored relative
    /// to it, and checks the claim was granted.</summary>
    public (ScanClaim Claim, ClaimResult Result) ClaimBeside(LedgerWriter writer, long scanId)
    {
        var claim = Claim(scanId) with { L1Path = _directory.Combine($"scan_{scanId:D6}_HFA.l1.h5") };
        var result = writer.Claim(claim);
        Assert.Equal(ClaimOutcome.Claimed, result.Outcome);
        return (claim, result);
    }

    /// <summary>The wait that precedes <see cref="Claim"/> with the same arguments: same key, engine and product path.</summary>
    public static LedgerScan Waiting(long scanId, Band band = Band.Hfa, string config = "cfg-1", string engine = "1.0.0") => new()
    {
        ScanId = scanId,
        Band = band,
        Source = "W3OH",
        ObsMode = ObsMode.OnTheFly,
        StartMjd = 60000.0 + scanId,
        InputPath = $"/raw/scan_{scanId:D6}.h5",
        ConfigSha256 = config,
        EngineVersion = engine,
        L1Path = $"/out/scan_{scanId:D6}_{ModelNames.Of(band)}.l1.h5",
    };

    /// <summary>A plain read-write connection for checks the reader does not offer (integrity, raw rows).</summary>
    public string Scalar(string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) ?? "";
    }

    /// <summary>Runs statements on a plain read-write connection (raw rows a test sets up).</summary>
    public void Execute(string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// A ledger as schema v1 left it: the v1 migration only, with one run and three rows written the way a v1
    /// engine wrote them (scan 1 SUCCEEDED as <see cref="Claim"/>(1), scan 2 FAILED permanently, scan 3 PENDING).
    /// </summary>
    public void CreateV1WithRows()
    {
        Execute("PRAGMA journal_mode = WAL;");
        Execute(LedgerSchema.Migrations.Single(m => m.Version == 1).Sql);
        Execute(
            """
            CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_utc TEXT NOT NULL);
            INSERT INTO schema_version VALUES (1, '2025-01-01T00:00:00.000Z');
            INSERT INTO runs VALUES ('v1-run', 'old-host', 42, '2025-01-01T00:00:00.0000000Z', '2025-01-01T00:00:00.0000000Z', '2025-01-01T00:01:00.0000000Z', '2025-01-01T00:01:00.0000000Z');
            INSERT INTO scans (scan_id, band, source, obs_mode, start_mjd, input_path, input_sha256, input_bytes, calibration_scan_ids, calibration_sha256,
                config_sha256, engine_version, status, attempts, tries, run_id, l1_path, l1_sha256, l1_bytes, l1_current, started_utc, finished_utc, updated_utc)
            VALUES
                (1, 'HFA', 'W3OH', 'OTF', 60001.0, '/raw/scan_000001.h5', 'in-1', 1001, '[0]', '["cal-1"]', 'cfg-1', '1.0.0', 'SUCCEEDED', 1, 0, 'v1-run',
                 '/out/scan_000001_K.l1.h5', 'l1-sha-1', 11, 1, '2025-01-01T00:00:10.0000000Z', '2025-01-01T00:00:20.0000000Z', '2025-01-01T00:00:20.0000000Z'),
                (2, 'HFA', 'W3OH', 'OTF', 60002.0, '/raw/scan_000002.h5', 'in-1', 1002, '[1]', '["cal-1"]', 'cfg-1', '1.0.0', 'FAILED', 1, 1, 'v1-run',
                 '/out/scan_000002_K.l1.h5', NULL, NULL, 0, '2025-01-01T00:00:30.0000000Z', '2025-01-01T00:00:40.0000000Z', '2025-01-01T00:00:40.0000000Z'),
                (3, 'LFA', 'Orion', 'OTF', 60003.0, '/raw/scan_000003.h5', 'in-1', 1003, '[2]', '["cal-1"]', 'cfg-1', '1.0.0', 'PENDING', 0, 0, NULL,
                 '/out/scan_000003_Q.l1.h5', NULL, NULL, 0, NULL, NULL, '2025-01-01T00:00:50.0000000Z');
            UPDATE scans SET stage = 'Calibrate', error = 'no hot load in scan 1', failure_kind = 'PERMANENT' WHERE scan_id = 2;
            INSERT INTO attempts (row_id, attempt, run_id, status, stage, error, failure_kind, input_path, input_sha256, input_bytes, calibration_scan_ids,
                calibration_sha256, config_sha256, engine_version, l1_path, l1_sha256, l1_bytes, stage_durations, started_utc, finished_utc)
            VALUES
                (1, 1, 'v1-run', 'SUCCEEDED', NULL, NULL, NULL, '/raw/scan_000001.h5', 'in-1', 1001, '[0]', '["cal-1"]', 'cfg-1', '1.0.0',
                 '/out/scan_000001_K.l1.h5', 'l1-sha-1', 11, '{"Load":1.5}', '2025-01-01T00:00:10.0000000Z', '2025-01-01T00:00:20.0000000Z'),
                (2, 1, 'v1-run', 'FAILED', 'Calibrate', 'no hot load in scan 1', 'PERMANENT', '/raw/scan_000002.h5', 'in-1', 1002, '[1]', '["cal-1"]',
                 'cfg-1', '1.0.0', '/out/scan_000002_K.l1.h5', NULL, NULL, '{}', '2025-01-01T00:00:30.0000000Z', '2025-01-01T00:00:40.0000000Z');
            """);
    }

    /// <summary>
    /// The ledger of <see cref="CreateV1WithRows"/> brought to schema <paramref name="version"/> by the migrations this
    /// engine ships, as an engine of that version left it (no later table): the starting point of a migration test.
    /// </summary>
    public void CreateWithRowsAt(int version)
    {
        CreateV1WithRows();
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path, Pooling = false }.ToString());
        connection.Open();
        using (var off = connection.CreateCommand())
        {
            off.CommandText = "PRAGMA foreign_keys = OFF;"; // as LedgerSchema.Migrate runs them (v2 rebuilds scans)
            off.ExecuteNonQuery();
        }

        foreach (var migration in LedgerSchema.Migrations.Where(m => m.Version > 1 && m.Version <= version))
        {
            using var command = connection.CreateCommand();
            command.CommandText = migration.Sql + $"INSERT INTO schema_version VALUES ({migration.Version}, '2025-06-01T00:00:00.000Z');";
            command.Parameters.AddWithValue("$root", new LedgerPaths(Path).Root);
            command.ExecuteNonQuery();
        }
    }

    public void Dispose() => _directory.Dispose();
}

using Scanflow.Engine.Ledger;
using Scanflow.Engine.Model;

namespace Scanflow.Engine.Tests.Ledger;

public sealed class LedgerSchemaTests : IDisposable
{
    private readonly LedgerFixture _ledger = new();

    public void Dispose() => _ledger.Dispose();

    [Fact]
    public void Open_migrates_an_empty_file_to_the_current_schema_in_WAL_mode()
    {
        File.WriteAllBytes(_ledger.Path, []);

        using (var writer = _ledger.OpenWriter())
        {
            writer.Claim(LedgerFixture.Claim(1));
        }

        Assert.Equal(LedgerSchema.CurrentVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), _ledger.Scalar("SELECT max(version) FROM schema_version"));
        Assert.Equal("wal", _ledger.Scalar("PRAGMA journal_mode"));
        Assert.Equal("1", _ledger.Scalar("SELECT count(*) FROM scans"));
        Assert.Equal("ok", _ledger.Scalar("PRAGMA integrity_check"));
    }

    [Fact]
    public void Open_twice_applies_each_migration_once()
    {
        _ledger.OpenWriter().Dispose();
        _ledger.OpenWriter().Dispose();

        Assert.Equal(LedgerSchema.Migrations.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), _ledger.Scalar("SELECT count(*) FROM schema_version"));
        Assert.Equal("2", _ledger.Scalar("SELECT count(*) FROM runs WHERE finished_utc IS NOT NULL"));
    }

    [Fact]
    public void Open_refuses_a_ledger_from_a_newer_engine()
    {
        _ledger.OpenWriter().Dispose();
        _ledger.Scalar("INSERT INTO schema_version (version, applied_utc) VALUES (8, '2030-01-01T00:00:00.0000000Z')");

        var writerError = Assert.Throws<InvalidOperationException>(() => _ledger.OpenWriter());
        var readerError = Assert.Throws<InvalidOperationException>(() => LedgerReader.Open(_ledger.Path));

        Assert.Contains("ledger schema v8 is newer than this engine (v7); upgrade scanflow", writerError.Message, StringComparison.Ordinal);
        Assert.Contains("ledger schema v8 is newer than this engine (v7); upgrade scanflow", readerError.Message, StringComparison.Ordinal);
        Assert.Equal("1", _ledger.Scalar("SELECT count(*) FROM runs"));
    }

    [Fact]
    public void A_v1_ledger_with_rows_upgrades_in_place_and_keeps_them()
    {
        _ledger.CreateV1WithRows();
        Assert.Throws<InvalidOperationException>(() => LedgerReader.Open(_ledger.Path)); // a reader does not migrate

        using (var writer = _ledger.OpenWriter())
        {
            Assert.Equal("1,2,3,4,5,6,7", _ledger.Scalar("SELECT group_concat(version) FROM (SELECT version FROM schema_version ORDER BY version)"));
            using var reader = LedgerReader.Open(_ledger.Path);
            var rows = reader.Scans();
            Assert.Equal([(1L, 1L, ScanStatus.Succeeded), (2L, 2L, ScanStatus.Failed), (3L, 3L, ScanStatus.Pending)], rows.Select(r => (r.RowId, r.ScanId, r.Status)));
            Assert.Equal("l1-sha-1", rows[0].L1Sha256);
            Assert.Equal([0L], rows[0].CalibrationScanIds);
            Assert.Equal(("Calibrate", "no hot load in scan 1", (FailureKind?)FailureKind.Permanent), (rows[1].Stage, rows[1].Error, rows[1].FailureKind));
            Assert.Equal([(1L, 1, ScanStatus.Succeeded), (2L, 1, ScanStatus.Failed)], reader.Attempts().Select(a => (a.RowId, a.Attempt, a.Status)));
            Assert.Equal([("/out/scan_000001_K.l1.h5", "l1-sha-1")], reader.Products());

            // The rows still mean what they meant: the success is skipped, the permanent failure refused, the pending claimed.
            Assert.Equal(ClaimOutcome.AlreadySucceeded, writer.Claim(LedgerFixture.Claim(1)).Outcome);
            Assert.Equal(ClaimOutcome.FailedPermanently, writer.Claim(LedgerFixture.Claim(2)).Outcome);
            Assert.Equal((ClaimOutcome.Claimed, 3L), Result(writer.Claim(LedgerFixture.Claim(3, band: Band.Lfa) with { Source = "Orion" })));
            // New rows continue after the old ones, and the new status is allowed.
            Assert.Equal((ClaimOutcome.Claimed, 4L), Result(writer.Claim(LedgerFixture.Claim(4))));
            Assert.True(writer.Waiting(LedgerFixture.Waiting(5), "calibration scan 4 has not arrived"));
        }

        Assert.Equal(
            "scans_input_path,scans_l1_path,scans_run,scans_source,scans_start_mjd,scans_status",
            _ledger.Scalar("SELECT group_concat(name) FROM (SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'scans' AND name NOT LIKE 'sqlite_%' ORDER BY name)"));
        Assert.Contains("REFERENCES scans(row_id)", _ledger.Scalar("SELECT sql FROM sqlite_master WHERE name = 'attempts'"), StringComparison.Ordinal);
        Assert.Equal("", _ledger.Scalar("PRAGMA foreign_key_check"));
        Assert.Equal("ok", _ledger.Scalar("PRAGMA integrity_check"));
        Assert.Equal("0", _ledger.Scalar("SELECT count(*) FROM sqlite_master WHERE name = 'scans_v2'"));
        Assert.Throws<Microsoft.Data.Sqlite.SqliteException>(() => _ledger.Execute("UPDATE scans SET status = 'BOGUS' WHERE row_id = 1"));
    }

    [Fact]
    public void Attempts_still_reference_scans_after_the_rebuild()
    {
        _ledger.CreateV1WithRows();
        using var writer = _ledger.OpenWriter();

        // attempts(row_id) still references scans: a raw insert for a missing row is refused on a foreign-key connection.
        var error = Assert.Throws<Microsoft.Data.Sqlite.SqliteException>(() => _ledger.Execute(
            """
            PRAGMA foreign_keys = ON;
            INSERT INTO attempts (row_id, attempt, run_id, status, input_path, input_sha256, input_bytes, calibration_scan_ids, calibration_sha256,
                config_sha256, engine_version, l1_path, started_utc)
            VALUES (99, 1, 'v1-run', 'RUNNING', 'x', 'x', 1, '[]', '[]', 'c', 'e', 'l', 't');
            """));
        Assert.Contains("FOREIGN KEY", error.Message, StringComparison.Ordinal);
        Assert.Equal(ClaimOutcome.Claimed, writer.Claim(LedgerFixture.Claim(9)).Outcome);
    }

    [Fact]
    public void The_v4_migration_records_products_beneath_the_ledger_relative_to_it_and_keeps_others_absolute()
    {
        _ledger.CreateV1WithRows();
        var beneath = System.IO.Path.Join(System.IO.Path.GetDirectoryName(_ledger.Path), "night", "scan_000001_K.l1.h5");
        _ledger.Execute($"UPDATE scans SET l1_path = '{beneath}' WHERE row_id = 1; UPDATE attempts SET l1_path = '{beneath}' WHERE row_id = 1;");

        _ledger.OpenWriter().Dispose();

        Assert.Equal("night/scan_000001_K.l1.h5|/out/scan_000002_K.l1.h5", _ledger.Scalar("SELECT group_concat(l1_path, '|') FROM (SELECT l1_path FROM scans WHERE row_id <= 2 ORDER BY row_id)"));
        Assert.Equal("night/scan_000001_K.l1.h5", _ledger.Scalar("SELECT l1_path FROM attempts WHERE row_id = 1"));
        using var reader = LedgerReader.Open(_ledger.Path);
        Assert.Equal([(beneath, "l1-sha-1")], reader.Products());
        Assert.Equal(beneath, reader.Attempts(rowId: 1).Single().L1Path);
        Assert.Equal("/out/scan_000002_K.l1.h5", reader.History(2).Single().L1Path);
    }

    [Fact]
    public void Reader_on_a_missing_ledger_names_the_path_and_the_default_location()
    {
        var error = Assert.Throws<FileNotFoundException>(() => LedgerReader.Open(_ledger.Path));

        Assert.Contains(_ledger.Path, error.Message, StringComparison.Ordinal);
        Assert.Contains(LedgerWriter.DefaultFileName, error.Message, StringComparison.Ordinal);
        Assert.Contains("output directory", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(_ledger.Path));
    }

    [Fact]
    public void Reader_refuses_a_database_that_is_not_a_ledger()
    {
        _ledger.Scalar("CREATE TABLE other (x INTEGER)");

        Assert.Throws<InvalidOperationException>(() => LedgerReader.Open(_ledger.Path));
    }

    private static (ClaimOutcome, long) Result(ClaimResult result) => (result.Outcome, result.RowId);
}

using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Scanflow.Engine.Ledger;

/// <summary>
/// The ledger's tables and how a file gets to them: an ordered list of migrations, each applied in its
/// own <c>BEGIN IMMEDIATE</c> transaction that re-reads the version, so two processes opening a fresh
/// file at once apply each step once.
/// </summary>
internal static class LedgerSchema
{
    public static readonly IReadOnlyList<LedgerMigration> Migrations =
    [
        new(1, """
            CREATE TABLE runs (
                run_id            TEXT PRIMARY KEY,
                host              TEXT NOT NULL,
                pid               INTEGER NOT NULL,
                process_start_utc TEXT NOT NULL,
                started_utc       TEXT NOT NULL,
                heartbeat_utc     TEXT NOT NULL,
                finished_utc      TEXT
            );
            CREATE TABLE scans (
                row_id              INTEGER PRIMARY KEY AUTOINCREMENT,
                scan_id             INTEGER NOT NULL,
                band                TEXT NOT NULL,
                source              TEXT NOT NULL,
                obs_mode            TEXT NOT NULL,
                start_mjd           REAL NOT NULL,
                input_path          TEXT NOT NULL,
                input_sha256        TEXT NOT NULL,
                input_bytes         INTEGER NOT NULL,
                calibration_scan_ids TEXT NOT NULL,
                calibration_sha256  TEXT NOT NULL,
                config_sha256       TEXT NOT NULL,
                engine_version      TEXT NOT NULL,
                status              TEXT NOT NULL CHECK (status IN ('PENDING','RUNNING','SUCCEEDED','FAILED','CANCELLED','SKIPPED')),
                attempts            INTEGER NOT NULL,
                tries               INTEGER NOT NULL,
                run_id              TEXT REFERENCES runs(run_id),
                stage               TEXT,
                error               TEXT,
                failure_kind        TEXT CHECK (failure_kind IN ('TRANSIENT','PERMANENT')),
                l1_path             TEXT NOT NULL,
                l1_sha256           TEXT,
                l1_bytes            INTEGER,
                l1_current          INTEGER NOT NULL DEFAULT 0,
                started_utc         TEXT,
                finished_utc        TEXT,
                updated_utc         TEXT NOT NULL,
                UNIQUE (scan_id, band, config_sha256)
            );
            CREATE TABLE attempts (
                row_id               INTEGER NOT NULL REFERENCES scans(row_id),
                attempt              INTEGER NOT NULL,
                run_id               TEXT NOT NULL REFERENCES runs(run_id),
                status               TEXT NOT NULL CHECK (status IN ('PENDING','RUNNING','SUCCEEDED','FAILED','CANCELLED','SKIPPED')),
                stage                TEXT,
                error                TEXT,
                failure_kind         TEXT CHECK (failure_kind IN ('TRANSIENT','PERMANENT')),
                input_path           TEXT NOT NULL,
                input_sha256         TEXT NOT NULL,
                input_bytes          INTEGER NOT NULL,
                calibration_scan_ids TEXT NOT NULL,
                calibration_sha256   TEXT NOT NULL,
                config_sha256        TEXT NOT NULL,
                engine_version       TEXT NOT NULL,
                l1_path              TEXT NOT NULL,
                l1_sha256            TEXT,
                l1_bytes             INTEGER,
                stage_durations      TEXT NOT NULL DEFAULT '{}',
                started_utc          TEXT NOT NULL,
                finished_utc         TEXT,
                PRIMARY KEY (row_id, attempt)
            );
            CREATE INDEX scans_status ON scans(status, band);
            CREATE INDEX scans_source ON scans(source);
            CREATE INDEX scans_start_mjd ON scans(start_mjd);
            CREATE INDEX scans_l1_path ON scans(l1_path);
            CREATE INDEX scans_run ON scans(run_id) WHERE status = 'RUNNING';
            CREATE INDEX attempts_finished ON attempts(status, finished_utc);
            """),

        // v2: scans may be WAITING (planned, its calibration scan not arrived yet), and rejected drop files are kept.
        // SQLite cannot alter a CHECK constraint, so scans is rebuilt: create, copy (row ids kept, and the
        // AUTOINCREMENT counter with them), drop, rename, recreate the indexes. Migrate runs this with foreign keys
        // off (attempts references scans) and checks them before it commits. attempts keeps its v1 CHECK: a wait
        // is not an attempt, and a wait that expires is recorded as a FAILED attempt.
        // A WAITING row has no input checksum and no calibration yet. Rather than make those columns nullable (and
        // every reader cope with NULL), they keep NOT NULL and gain defaults that mean "not known yet": input_sha256
        // '', input_bytes 0, calibration_scan_ids and calibration_sha256 '[]'. They never equal a real claim's
        // values, so the claim that follows the wait always counts as new inputs and fills them in.
        new(2, """
            CREATE TABLE scans_v2 (
                row_id              INTEGER PRIMARY KEY AUTOINCREMENT,
                scan_id             INTEGER NOT NULL,
                band                TEXT NOT NULL,
                source              TEXT NOT NULL,
                obs_mode            TEXT NOT NULL,
                start_mjd           REAL NOT NULL,
                input_path          TEXT NOT NULL,
                input_sha256        TEXT NOT NULL DEFAULT '',
                input_bytes         INTEGER NOT NULL DEFAULT 0,
                calibration_scan_ids TEXT NOT NULL DEFAULT '[]',
                calibration_sha256  TEXT NOT NULL DEFAULT '[]',
                config_sha256       TEXT NOT NULL,
                engine_version      TEXT NOT NULL,
                status              TEXT NOT NULL CHECK (status IN ('PENDING','RUNNING','SUCCEEDED','FAILED','CANCELLED','SKIPPED','WAITING')),
                attempts            INTEGER NOT NULL,
                tries               INTEGER NOT NULL,
                run_id              TEXT REFERENCES runs(run_id),
                stage               TEXT,
                error               TEXT,
                failure_kind        TEXT CHECK (failure_kind IN ('TRANSIENT','PERMANENT')),
                l1_path             TEXT NOT NULL,
                l1_sha256           TEXT,
                l1_bytes            INTEGER,
                l1_current          INTEGER NOT NULL DEFAULT 0,
                started_utc         TEXT,
                finished_utc        TEXT,
                updated_utc         TEXT NOT NULL,
                UNIQUE (scan_id, band, config_sha256)
            );
            INSERT INTO scans_v2 (row_id, scan_id, band, source, obs_mode, start_mjd, input_path, input_sha256, input_bytes,
                calibration_scan_ids, calibration_sha256, config_sha256, engine_version, status, attempts, tries, run_id, stage, error,
                failure_kind, l1_path, l1_sha256, l1_bytes, l1_current, started_utc, finished_utc, updated_utc)
            SELECT row_id, scan_id, band, source, obs_mode, start_mjd, input_path, input_sha256, input_bytes,
                calibration_scan_ids, calibration_sha256, config_sha256, engine_version, status, attempts, tries, run_id, stage, error,
                failure_kind, l1_path, l1_sha256, l1_bytes, l1_current, started_utc, finished_utc, updated_utc
            FROM scans ORDER BY row_id;
            INSERT INTO sqlite_sequence (name, seq)
                SELECT 'scans_v2', seq FROM sqlite_sequence WHERE name = 'scans' AND NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'scans_v2');
            UPDATE sqlite_sequence SET seq = (SELECT max(seq) FROM sqlite_sequence WHERE name IN ('scans', 'scans_v2')) WHERE name = 'scans_v2';
            DROP TABLE scans;
            ALTER TABLE scans_v2 RENAME TO scans;
            CREATE INDEX scans_status ON scans(status, band);
            CREATE INDEX scans_source ON scans(source);
            CREATE INDEX scans_start_mjd ON scans(start_mjd);
            CREATE INDEX scans_l1_path ON scans(l1_path);
            CREATE INDEX scans_run ON scans(run_id) WHERE status = 'RUNNING';
            CREATE TABLE rejected_files (
                path         TEXT NOT NULL,
                reason       TEXT NOT NULL,
                size         INTEGER NOT NULL,
                mtime_utc    TEXT NOT NULL,
                rejected_utc TEXT NOT NULL,
                PRIMARY KEY (path, size, mtime_utc)
            );
            """),

        // v3: the input file's last-write time beside its size, so a restart can recognise a file it has already
        // hashed (same path, size and mtime) without reading terabytes again; '' for rows claimed before v3.
        new(3, """
            ALTER TABLE scans ADD COLUMN input_mtime_utc TEXT NOT NULL DEFAULT '';
            CREATE INDEX scans_input_path ON scans(input_path);
            """),

        // v4: products beneath the ledger's directory are recorded relative to it ($root, with a trailing separator),
        // so an output directory moved together with its ledger keeps its products (LedgerPaths).
        new(4, """
            UPDATE scans SET l1_path = substr(l1_path, length($root) + 1) WHERE substr(l1_path, 1, length($root)) = $root;
            UPDATE attempts SET l1_path = substr(l1_path, length($root) + 1) WHERE substr(l1_path, 1, length($root)) = $root;
            """),

        // v5: every product of a successful attempt (issue 14): the L1 file (SCIENCE) and its QA metrics and plots, recorded
        // in the transaction that records the success. Paths are stored as l1_path is (LedgerPaths). The type has no CHECK,
        // so a new product type needs no table rebuild; the writer accepts only ProductTypes. Existing ledgers get the
        // SCIENCE product of every SUCCEEDED attempt, so show and verify read one table whatever engine wrote the rows.
        new(5, """
            CREATE TABLE products (
                row_id       INTEGER NOT NULL,
                attempt      INTEGER NOT NULL,
                type         TEXT NOT NULL,
                path         TEXT NOT NULL,
                bytes        INTEGER NOT NULL,
                sha256       TEXT NOT NULL,
                recorded_utc TEXT NOT NULL,
                PRIMARY KEY (row_id, attempt, path),
                FOREIGN KEY (row_id, attempt) REFERENCES attempts(row_id, attempt)
            );
            CREATE INDEX products_path ON products(path);
            INSERT INTO products (row_id, attempt, type, path, bytes, sha256, recorded_utc)
                SELECT row_id, attempt, 'SCIENCE', l1_path, l1_bytes, l1_sha256, coalesce(finished_utc, started_utc)
                FROM attempts WHERE status = 'SUCCEEDED' AND l1_sha256 IS NOT NULL AND l1_bytes IS NOT NULL
                ORDER BY row_id, attempt;
            """),

        // v6: plots still to be drawn (issue 14). A successful attempt's plots are drawn after its L1 file and QA metrics
        // are recorded, from the plot data file beside them; this row says they are owed and which run owes them. The
        // run records the plots as products and deletes the row in one transaction; a run that died leaves its rows
        // to the next run, which draws them from the file.
        new(6, """
            CREATE TABLE pending_plots (
                row_id       INTEGER NOT NULL,
                attempt      INTEGER NOT NULL,
                run_id       TEXT NOT NULL,
                data_path    TEXT NOT NULL,
                recorded_utc TEXT NOT NULL,
                PRIMARY KEY (row_id, attempt),
                FOREIGN KEY (row_id, attempt) REFERENCES attempts(row_id, attempt)
            );
            CREATE INDEX pending_plots_run ON pending_plots(run_id);
            """),

        // v7: work handed to SLURM (issue 12). A submission is one plan file and one job array; its row is written before
        // sbatch runs and gets its job id when sbatch returns, so a coordinator killed at any point finds its jobs again. An
        // attempt handed to SLURM names its submission, array task and place in the task's shard, and gets the task's node,
        // elapsed and CPU time and peak memory when its result is collected. A RUNNING attempt with a submission is left to
        // the next claim, which re-attaches to the job instead of calibrating again.
        new(7, """
            CREATE TABLE slurm_submissions (
                submission    TEXT PRIMARY KEY,
                run_id        TEXT NOT NULL,
                plan_path     TEXT NOT NULL,
                job_name      TEXT NOT NULL,
                job_id        TEXT,
                tasks         INTEGER NOT NULL,
                submitted_utc TEXT NOT NULL
            );
            ALTER TABLE attempts ADD COLUMN slurm_submission TEXT REFERENCES slurm_submissions(submission);
            ALTER TABLE attempts ADD COLUMN slurm_task INTEGER;
            ALTER TABLE attempts ADD COLUMN slurm_index INTEGER;
            ALTER TABLE attempts ADD COLUMN slurm_node TEXT;
            ALTER TABLE attempts ADD COLUMN slurm_elapsed_s REAL;
            ALTER TABLE attempts ADD COLUMN slurm_cpu_s REAL;
            ALTER TABLE attempts ADD COLUMN slurm_max_rss_bytes INTEGER;
            CREATE INDEX attempts_slurm_submission ON attempts(slurm_submission) WHERE slurm_submission IS NOT NULL;
            """),
    ];

    public static int CurrentVersion => Migrations[^1].Version;

    /// <summary>Brings the ledger to <see cref="CurrentVersion"/>; refuses a ledger written by a newer engine.</summary>
    /// <remarks>
    /// Foreign keys are off while migrations run (a table rebuild drops a table others reference, and the pragma
    /// cannot change inside a transaction); each migration checks them before it commits, and the connection's
    /// setting is restored afterwards.
    /// </remarks>
    public static void Migrate(SqliteConnection connection, string path)
    {
        var foreignKeys = Convert.ToInt64(Scalar(connection, "PRAGMA foreign_keys;"), CultureInfo.InvariantCulture) != 0;
        Execute(connection, null, "PRAGMA foreign_keys = OFF;");
        try
        {
            foreach (var migration in Migrations)
            {
                using var transaction = connection.BeginTransaction(deferred: false);
                Execute(connection, transaction, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_utc TEXT NOT NULL);");
                var found = ReadVersion(connection, transaction);
                ThrowIfNewer(found, path);
                if (found >= migration.Version)
                {
                    continue;
                }

                Execute(connection, transaction, migration.Sql, ("$root", new LedgerPaths(path).Root));
                ThrowIfForeignKeysBroken(connection, transaction, migration.Version, path);
                using var record = connection.CreateCommand();
                record.Transaction = transaction;
                record.CommandText = "INSERT INTO schema_version (version, applied_utc) VALUES ($version, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));";
                record.Parameters.AddWithValue("$version", migration.Version);
                record.ExecuteNonQuery();
                transaction.Commit();
            }
        }
        finally
        {
            if (foreignKeys)
            {
                Execute(connection, null, "PRAGMA foreign_keys = ON;");
            }
        }
    }

    /// <summary>The version a reader finds; a file without the table is not a ledger.</summary>
    public static void CheckReadable(SqliteConnection connection, string path)
    {
        using var exists = connection.CreateCommand();
        exists.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version';";
        if (Convert.ToInt64(exists.ExecuteScalar(), CultureInfo.InvariantCulture) == 0)
        {
            throw new InvalidOperationException($"{path} is not a scanflow ledger (no schema_version table); a ledger is created by the first run that writes to it.");
        }

        var found = ReadVersion(connection, null);
        ThrowIfNewer(found, path);
        if (found < CurrentVersion)
        {
            throw new InvalidOperationException($"ledger schema v{found} at {path} is older than this engine (v{CurrentVersion}); open it once for writing (any run) to migrate it.");
        }
    }

    private static int ReadVersion(SqliteConnection connection, SqliteTransaction? transaction)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT coalesce(max(version), 0) FROM schema_version;";
        return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static void ThrowIfNewer(int found, string path)
    {
        if (found > CurrentVersion)
        {
            throw new InvalidOperationException($"ledger schema v{found} is newer than this engine (v{CurrentVersion}); upgrade scanflow (ledger {path}).");
        }
    }

    private static void ThrowIfForeignKeysBroken(SqliteConnection connection, SqliteTransaction transaction, int version, string path)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "PRAGMA foreign_key_check;";
        using var reader = command.ExecuteReader();
        if (reader.Read())
        {
            throw new InvalidOperationException(
                $"migrating ledger {path} to schema v{version} would break a reference: table {reader.GetString(0)} row {reader.GetValue(1)} refers to a missing {reader.GetString(2)} row; the ledger is unchanged.");
        }
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters) =>
        SqlParameters.Execute(connection, transaction, sql, parameters);
}

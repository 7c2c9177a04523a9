using System.Globalization;
using Microsoft.Data.Sqlite;
using Scanflow.Engine.Model;

namespace Scanflow.Engine.Ledger;

/// <summary>
/// The single writer of a ledger: one connection, every method under one lock, every change in one
/// <c>BEGIN IMMEDIATE</c> transaction (so a second process on the same file waits for the write lock
/// instead of deciding on stale rows). A scan is RUNNING before work starts and SUCCEEDED only after its
/// product is in place with its checksum.
/// </summary>
public sealed class LedgerWriter : IDisposable
{
    /// <summary>The ledger's file name; by default it lives in the output directory.</summary>
    public const string DefaultFileName = "scanflow-ledger.sqlite";

    /// <summary>How long a write waits for another process's lock on the ledger before it fails.</summary>
    public static TimeSpan BusyTimeout { get; } = TimeSpan.FromSeconds(LedgerConnection.BusyTimeoutSeconds);

    private readonly WriterConnection _connection;
    private readonly LedgerOptions _options;
    private readonly TimeProvider _time;
    private readonly RunIdentity _identity;

    private LedgerWriter(WriterConnection connection, LedgerOptions options, TimeProvider time, RunIdentity identity, string runId)
    {
        _connection = connection;
        _options = options;
        _time = time;
        _identity = identity;
        RunId = runId;
    }

    /// <summary>This run's id, as recorded in <c>runs</c> and on every attempt it makes.</summary>
    public string RunId { get; }

    /// <summary>Opens (creating and migrating if needed) the ledger at <paramref name="path"/> and registers this run.</summary>
    public static LedgerWriter Open(string path, LedgerOptions options, TimeProvider time) => Open(path, options, time, RunIdentity.Current());

    /// <summary>Opens as a given process identity; tests use it to stand in for a run that dies.</summary>
    internal static LedgerWriter Open(string path, LedgerOptions options, TimeProvider time, RunIdentity identity)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxRetries);

        var connection = LedgerConnection.OpenWriter(path);
        try
        {
            LedgerSchema.Migrate(connection, path);
            var now = time.GetUtcNow();
            var runId = string.Create(CultureInfo.InvariantCulture, $"{now.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}-{identity.Pid}-{Guid.NewGuid():N}")[..32];
            var writer = new WriterConnection(connection, typeof(LedgerWriter));
            writer.Write(transaction => SqlParameters.Execute(
                transaction,
                "INSERT INTO runs (run_id, host, pid, process_start_utc, started_utc, heartbeat_utc) VALUES ($run, $host, $pid, $start, $now, $now);",
                ("$run", runId),
                ("$host", identity.Host),
                ("$pid", identity.Pid),
                ("$start", LedgerText.Time(identity.ProcessStartUtc)),
                ("$now", LedgerText.Time(now))));
            return new LedgerWriter(writer, options, time, identity, runId);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Decides, in one transaction, whether this run calibrates the scan: records it RUNNING (Claimed),
    /// records a SKIPPED attempt (AlreadySucceeded), or changes nothing (HeldByAnotherRun, FailedPermanently).
    /// A WAITING row is claimed like a PENDING one.
    /// </summary>
    public ClaimResult Claim(ScanClaim claim)
    {
        ArgumentNullException.ThrowIfNull(claim);
        if (claim.CalibrationScanIds.Count != claim.CalibrationSha256.Count)
        {
            throw new ArgumentException(
                $"scan {claim.ScanId}: {claim.CalibrationScanIds.Count} calibration scan ids but {claim.CalibrationSha256.Count} checksums",
                nameof(claim));
        }

        return _connection.Write(transaction =>
        {
            var now = _time.GetUtcNow();
            var row = FindRow(transaction, claim.ScanId, claim.Band, claim.ConfigSha256);
            return row is null ? ClaimNew(transaction, claim, now) : ClaimExisting(transaction, claim, row, now);
        });
    }

    /// <summary>
    /// The SHA-256 recorded for the file at <paramref name="path"/> when it had this size and last-write time, or null.
    /// Lets a restart skip re-reading files it has already hashed; a file rewritten in place changes its mtime, and
    /// one that kept both is trusted to be unchanged, as rsync and make trust it.
    /// </summary>
    public string? KnownInputSha256(string path, long bytes, DateTime lastWriteUtc) => _connection.Read(connection =>
    {
        using var command = SqlParameters.Command(
            connection,
            null,
            "SELECT input_sha256 FROM scans WHERE input_path = $path AND input_bytes = $bytes AND input_mtime_utc = $mtime AND input_sha256 <> '' LIMIT 1;",
            ("$path", path),
            ("$bytes", bytes),
            ("$mtime", LedgerText.Time(lastWriteUtc)));
        return command.ExecuteScalar() as string;
    });

    /// <summary>
    /// Records that <paramref name="scan"/> waits for its calibration scan: a new row, or an existing PENDING, FAILED
    /// or CANCELLED one, becomes WAITING at stage 'plan' with <paramref name="reason"/> as its error, its input
    /// checksum and calibration inputs reset to "not known yet" ('' / 0 / '[]'). A row that is already WAITING keeps
    /// the time it started waiting (<c>updated_utc</c>) and takes the new reason. A SUCCEEDED or RUNNING row is left
    /// alone and the answer is false. No attempt is recorded: waiting is not an attempt.
    /// </summary>
    public bool Waiting(WaitingScan scan, string reason)
    {
        ArgumentNullException.ThrowIfNull(scan);
        ArgumentException.ThrowIfNullOrEmpty(reason);
        return _connection.Write(transaction =>
        {
            var now = LedgerText.Time(_time.GetUtcNow());
            var row = FindRow(transaction, scan.ScanId, scan.Band, scan.ConfigSha256);
            (string, object?)[] parameters =
            [
                ("$scan", scan.ScanId),
                ("$band", ModelNames.Of(scan.Band)),
                ("$source", scan.Source),
                ("$mode", ModelNames.Of(scan.ObsMode)),
                ("$mjd", scan.StartMjd),
                ("$input", scan.InputPath),
                ("$config", scan.ConfigSha256),
                ("$engine", scan.EngineVersion),
                ("$run", RunId),
                ("$l1", scan.L1Path),
                ("$reason", reason),
                ("$now", now),
                ("$row", row?.RowId),
                ("$waiting", LedgerText.Status(ScanStatus.Waiting)),
            ];
            if (row is null)
            {
                SqlParameters.Execute(
                    transaction,
                    """
                    INSERT INTO scans (scan_id, band, source, obs_mode, start_mjd, input_path, config_sha256, engine_version, status, attempts, tries,
                        run_id, stage, error, l1_path, updated_utc)
                    VALUES ($scan, $band, $source, $mode, $mjd, $input, $config, $engine, $waiting, 0, 0, $run, 'plan', $reason, $l1, $now);
                    """,
                    parameters);
                return true;
            }

            if (row.Status is ScanStatus.Succeeded or ScanStatus.Running)
            {
                return false;
            }

            SqlParameters.Execute(
                transaction,
                """
                UPDATE scans SET source = $source, obs_mode = $mode, start_mjd = $mjd, input_path = $input, input_sha256 = '', input_bytes = 0, input_mtime_utc = '',
                    calibration_scan_ids = '[]', calibration_sha256 = '[]', engine_version = $engine, run_id = $run, stage = 'plan', error = $reason,
                    failure_kind = NULL, l1_path = $l1, l1_current = 0,
                    updated_utc = CASE WHEN status = $waiting THEN updated_utc ELSE $now END, status = $waiting
                WHERE row_id = $row;
                """,
                parameters);
            return true;
        });
    }

    /// <summary>
    /// The wait for a calibration scan timed out: a WAITING row becomes FAILED Permanent at stage 'plan' with
    /// <paramref name="reason"/>, and a FAILED attempt is recorded (started when the wait began). A later claim with
    /// the calibration present still proceeds: its inputs differ from the row's "not known yet" ones. Returns false
    /// (and changes nothing) when the row is missing or no longer WAITING.
    /// </summary>
    public bool WaitExpired(long scanId, Band band, string configSha256, string reason)
    {
        ArgumentException.ThrowIfNullOrEmpty(configSha256);
        ArgumentException.ThrowIfNullOrEmpty(reason);
        return _connection.Write(transaction =>
        {
            var row = FindRow(transaction, scanId, band, configSha256);
            if (row is not { Status: ScanStatus.Waiting })
            {
                return false;
            }

            var attempt = row.Attempts + 1;
            (string, object?)[] parameters =
            [
                ("$row", row.RowId),
                ("$attempt", attempt),
                ("$run", RunId),
                ("$reason", reason),
                ("$now", LedgerText.Time(_time.GetUtcNow())),
                ("$failed", LedgerText.Status(ScanStatus.Failed)),
                ("$permanent", LedgerText.Kind(FailureKind.Permanent)),
            ];
            SqlParameters.Execute(
                transaction,
                """
                INSERT INTO attempts (row_id, attempt, run_id, status, stage, error, failure_kind, input_path, input_sha256, input_bytes,
                    calibration_scan_ids, calibration_sha256, config_sha256, engine_version, l1_path, started_utc, finished_utc)
                SELECT row_id, $attempt, $run, $failed, 'plan', $reason, $permanent, input_path, input_sha256, input_bytes,
                    calibration_scan_ids, calibration_sha256, config_sha256, engine_version, l1_path, updated_utc, $now
                FROM scans WHERE row_id = $row;
                """,
                parameters);
            SqlParameters.Execute(
                transaction,
                """
                UPDATE scans SET status = $failed, attempts = $attempt, tries = 1, run_id = $run, stage = 'plan', error = $reason,
                    failure_kind = $permanent, started_utc = updated_utc, finished_utc = $now, updated_utc = $now
                WHERE row_id = $row;
                """,
                parameters);
            return true;
        });
    }

    /// <summary>
    /// Records that the file at <paramref name="path"/> (this size and mtime) was rejected, and why: a symlink out of
    /// the drop directory, an unreadable file, a foreign format. The same version is recorded once (the first reason
    /// stays); a changed file is a new version. Returns whether this call recorded it.
    /// </summary>
    public bool Rejected(string path, string reason, long size, DateTimeOffset mtimeUtc)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentException.ThrowIfNullOrEmpty(reason);
        return _connection.Write(transaction => SqlParameters.Execute(
            transaction,
            """
            INSERT INTO rejected_files (path, reason, size, mtime_utc, rejected_utc) VALUES ($path, $reason, $size, $mtime, $now)
            ON CONFLICT (path, size, mtime_utc) DO NOTHING;
            """,
            ("$path", path),
            ("$reason", reason),
            ("$size", size),
            ("$mtime", LedgerText.Time(mtimeUtc)),
            ("$now", LedgerText.Time(_time.GetUtcNow()))) == 1);
    }

    /// <summary>Records the attempt SUCCEEDED; call only after the product is renamed into place and its checksum computed.</summary>
    public void Succeeded(long rowId, int attempt, string l1Path, string l1Sha256, long l1Bytes, IReadOnlyDictionary<string, TimeSpan> stageDurations)
    {
        ArgumentException.ThrowIfNullOrEmpty(l1Path);
        ArgumentException.ThrowIfNullOrEmpty(l1Sha256);
        ArgumentNullException.ThrowIfNull(stageDurations);
        _connection.Write(transaction =>
        {
            RequireOwnedAttempt(transaction, rowId, attempt);
            (string, object?)[] parameters =
            [
                ("$path", l1Path),
                ("$sha", l1Sha256),
                ("$bytes", l1Bytes),
                ("$durations", LedgerText.Durations(stageDurations)),
                ("$now", LedgerText.Time(_time.GetUtcNow())),
                ("$row", rowId),
                ("$attempt", attempt),
                ("$succeeded", LedgerText.Status(ScanStatus.Succeeded)),
            ];
            // The path now holds this row's product, whatever row held it before.
            SqlParameters.Execute(transaction, "UPDATE scans SET l1_current = 0 WHERE l1_path = $path AND row_id <> $row;", parameters);
            SqlParameters.Execute(
                transaction,
                """
                UPDATE scans SET status = $succeeded, tries = 0, stage = NULL, error = NULL, failure_kind = NULL,
                    l1_path = $path, l1_sha256 = $sha, l1_bytes = $bytes, l1_current = 1, finished_utc = $now, updated_utc = $now
                WHERE row_id = $row;
                """,
                parameters);
            SqlParameters.Execute(
                transaction,
                """
                UPDATE attempts SET status = $succeeded, l1_path = $path, l1_sha256 = $sha, l1_bytes = $bytes,
                    stage_durations = $durations, finished_utc = $now
                WHERE row_id = $row AND attempt = $attempt;
                """,
                parameters);
        });
    }

    /// <summary>Records the attempt FAILED at <paramref name="stage"/>; <see cref="ShouldRetry"/> then says whether to try again.</summary>
    public void Failed(long rowId, int attempt, string stage, string error, FailureKind kind, IReadOnlyDictionary<string, TimeSpan> stageDurations)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(stageDurations);
        Finish(rowId, attempt, ScanStatus.Failed, stage, error, kind, stageDurations, triesDelta: 0);
    }

    /// <summary>Records the attempt CANCELLED; a cancelled attempt does not count against the retry budget.</summary>
    public void Cancelled(long rowId, int attempt, string? stage, IReadOnlyDictionary<string, TimeSpan> stageDurations)
    {
        ArgumentNullException.ThrowIfNull(stageDurations);
        Finish(rowId, attempt, ScanStatus.Cancelled, stage, null, null, stageDurations, triesDelta: -1);
    }

    /// <summary>True when the row's last attempt FAILED transiently and it has had at most MaxRetries tries since its inputs last changed.</summary>
    public bool ShouldRetry(long rowId) => _connection.Read(connection =>
    {
        using var command = SqlParameters.Command(connection, null, "SELECT status, failure_kind, tries FROM scans WHERE row_id = $row;", ("$row", rowId));
        using var reader = command.ExecuteReader();
        return reader.Read()
            && LedgerText.ParseStatus(reader.GetString(0)) == ScanStatus.Failed
            && !reader.IsDBNull(1) && LedgerText.ParseKind(reader.GetString(1)) == FailureKind.Transient
            && reader.GetInt32(2) <= _options.MaxRetries;
    });

    /// <summary>
    /// Requeues RUNNING rows of dead runs: each becomes PENDING and its attempt FAILED Transient
    /// "interrupted: run &lt;id&gt; died". The caller deletes each <c>L1Path + ".tmp"</c>.
    /// </summary>
    public IReadOnlyList<RecoveredScan> RecoverDeadRuns() => _connection.Write(transaction =>
    {
        var now = _time.GetUtcNow();
        var running = LedgerText.Status(ScanStatus.Running);
        var owners = new List<string>();
        using (var command = SqlParameters.Command(
            transaction,
            "SELECT DISTINCT run_id FROM scans WHERE status = $running AND run_id IS NOT NULL AND run_id <> $self;",
            ("$running", running),
            ("$self", RunId)))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                owners.Add(reader.GetString(0));
            }
        }

        var recovered = new List<RecoveredScan>();
        foreach (var owner in owners)
        {
            var run = RunRow.Find(transaction, owner);
            if (run is not null && run.IsAlive(_identity.Host, now, _options.HeartbeatTimeout))
            {
                continue;
            }

            using (var command = SqlParameters.Command(
                transaction,
                "SELECT row_id, scan_id, band, l1_path FROM scans WHERE status = $running AND run_id = $run ORDER BY row_id;",
                ("$running", running),
                ("$run", owner)))
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    recovered.Add(new RecoveredScan(reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3)));
                }
            }

            MarkInterrupted(transaction, owner, rowId: null, now, ScanStatus.Pending);
        }

        return (IReadOnlyList<RecoveredScan>)recovered;
    });

    /// <summary>Tells other hosts this run is alive; call every ~30 s (well inside HeartbeatTimeout).</summary>
    public void Heartbeat() => _connection.Write(transaction => SqlParameters.Execute(
        transaction,
        "UPDATE runs SET heartbeat_utc = $now WHERE run_id = $run;",
        ("$now", LedgerText.Time(_time.GetUtcNow())),
        ("$run", RunId)));

    /// <summary>
    /// <c>scanflow retry</c>: FAILED rows (all of them with <paramref name="failedOnly"/>, or only those of
    /// <paramref name="scanIds"/>) become PENDING with a fresh retry budget, so the next run claims them even
    /// after a permanent failure. Neither flag nor ids requeues nothing. Returns the rows changed.
    /// </summary>
    public int Requeue(bool failedOnly, IReadOnlyList<long> scanIds)
    {
        ArgumentNullException.ThrowIfNull(scanIds);
        if (!failedOnly && scanIds.Count == 0)
        {
            return 0;
        }

        return _connection.Write(transaction => SqlParameters.Execute(
            transaction,
            """
            UPDATE scans SET status = $pending, tries = 0, error = NULL, failure_kind = NULL, run_id = NULL, updated_utc = $now
            WHERE status = $failed AND ($all = 1 OR scan_id IN (SELECT value FROM json_each($ids)));
            """,
            ("$pending", LedgerText.Status(ScanStatus.Pending)),
            ("$failed", LedgerText.Status(ScanStatus.Failed)),
            ("$now", LedgerText.Time(_time.GetUtcNow())),
            ("$all", scanIds.Count == 0 ? 1 : 0),
            ("$ids", LedgerText.Ids(scanIds))));
    }

    /// <summary>The input files of PENDING rows: scans requeued by <c>scanflow retry</c> (or left by a dead run) that a
    /// running service takes again.</summary>
    public IReadOnlyList<string> PendingInputPaths() => _connection.Read(connection =>
    {
        using var command = SqlParameters.Command(
            connection,
            null,
            "SELECT DISTINCT input_path FROM scans WHERE status = $pending ORDER BY input_path;",
            ("$pending", LedgerText.Status(ScanStatus.Pending)));
        using var reader = command.ExecuteReader();
        var paths = new List<string>();
        while (reader.Read())
        {
            paths.Add(reader.GetString(0));
        }

        return (IReadOnlyList<string>)paths;
    });

    /// <summary>Marks this run finished and closes the connection; RUNNING rows it leaves behind are recovered by the next run.</summary>
    public void Dispose() => _connection.Close(transaction => SqlParameters.Execute(
        transaction,
        "UPDATE runs SET finished_utc = $now, heartbeat_utc = $now WHERE run_id = $run;",
        ("$now", LedgerText.Time(_time.GetUtcNow())),
        ("$run", RunId)));

    /// <summary>Closes the connection without marking the run finished, as <c>kill -9</c> would; for tests.</summary>
    internal void Abandon() => _connection.Abandon();

    private static ScanRow? FindRow(SqliteTransaction transaction, long scanId, Band band, string configSha256)
    {
        using var command = SqlParameters.Command(
            transaction,
            $"SELECT {ScanRow.Columns} FROM scans WHERE scan_id = $scan AND band = $band AND config_sha256 = $config;",
            ("$scan", scanId),
            ("$band", ModelNames.Of(band)),
            ("$config", configSha256));
        using var reader = command.ExecuteReader();
        return reader.Read() ? ScanRow.Read(reader) : null;
    }

    private ClaimResult ClaimNew(SqliteTransaction transaction, ScanClaim claim, DateTimeOffset now)
    {
        var superseded = TakeOverProductPath(transaction, claim.L1Path);
        using var command = SqlParameters.Command(
            transaction,
            """
            INSERT INTO scans (scan_id, band, source, obs_mode, start_mjd, input_path, input_sha256, input_bytes, input_mtime_utc, calibration_scan_ids,
                calibration_sha256, config_sha256, engine_version, status, attempts, tries, run_id, l1_path, started_utc, updated_utc)
            VALUES ($scan, $band, $source, $mode, $mjd, $input, $sha, $bytes, $mtime, $calIds, $calSha, $config, $engine, $running, 1, 1, $run, $l1, $now, $now)
            RETURNING row_id;
            """,
            [.. ClaimParameters(claim, now), ("$running", LedgerText.Status(ScanStatus.Running))]);
        var rowId = Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        InsertAttempt(transaction, rowId, 1, ScanStatus.Running, claim, now);
        return new ClaimResult(ClaimOutcome.Claimed, rowId, 1, null, superseded, null);
    }
    private ClaimResult ClaimExisting(SqliteTransaction transaction, ScanClaim claim, ScanRow row, DateTimeOffset now)
    {
        var sameInputs = row.HasSameInputs(claim);
        switch (row.Status)
        {
            case ScanStatus.Succeeded when sameInputs && row.L1Current
                && (_options.VersionPolicy == VersionPolicy.Compatible || row.EngineVersion == claim.EngineVersion):
                return Skip(transaction, claim, row, now);

            case ScanStatus.Succeeded:
                // Other inputs, engine (Exact) or a product path another configuration has since overwritten: a fresh budget.
                return Reclaim(transaction, claim, row, now, tries: 1);

            case ScanStatus.Waiting:
                // Its calibration has arrived: claimable like PENDING; the claim fills in the inputs with a fresh budget.
                return Reclaim(transaction, claim, row, now, tries: 1);

            case ScanStatus.Running when row.RunId == RunId:
                return new ClaimResult(ClaimOutcome.HeldByAnotherRun, row.RowId, row.Attempts, null, null, $"scan {claim.ScanId} {ModelNames.Of(claim.Band)} is already running in this run ({RunId}, host {_identity.Host}, pid {_identity.Pid})");

            case ScanStatus.Running:
                var owner = row.RunId is null ? null : RunRow.Find(transaction, row.RunId);
                if (owner is not null && owner.IsAlive(_identity.Host, now, _options.HeartbeatTimeout))
                {
                    return new ClaimResult(ClaimOutcome.HeldByAnotherRun, row.RowId, row.Attempts, null, null, $"scan {claim.ScanId} {ModelNames.Of(claim.Band)} is running in {owner.Describe()}");
                }

                MarkInterrupted(transaction, row.RunId ?? "(unknown)", row.RowId, now, ScanStatus.Failed);
                return Reclaim(transaction, claim, row, now, tries: sameInputs ? row.Tries + 1 : 1);

            case ScanStatus.Pending when sameInputs && row.FailureKind == FailureKind.Transient && row.Tries > _options.MaxRetries:
                return GiveUpInterrupted(transaction, row, now);

            case ScanStatus.Failed when sameInputs && row.FailureKind == FailureKind.Permanent:
                return new ClaimResult(ClaimOutcome.FailedPermanently, row.RowId, row.Attempts, null, null, $"{row.Error} (permanent failure at {row.Stage ?? "an unknown stage"}; use scanflow retry to requeue)");

            case ScanStatus.Failed when sameInputs && row.Tries > _options.MaxRetries:
                return new ClaimResult(ClaimOutcome.FailedPermanently, row.RowId, row.Attempts, null, null, $"{row.Error} (gave up after {row.Tries} tries, MaxRetries {_options.MaxRetries}; use scanflow retry to requeue)");

            default:
                // FAILED transient within budget, CANCELLED, PENDING; a changed input starts a fresh budget.
                return Reclaim(transaction, claim, row, now, tries: sameInputs ? row.Tries + 1 : 1);
        }
    }

    /// <summary>A scan requeued after dying runs more often than the retry budget allows (every start finds it left
    /// RUNNING): it may be what kills the process, so it stops being requeued until a person runs scanflow retry.</summary>
    private ClaimResult GiveUpInterrupted(SqliteTransaction transaction, ScanRow row, DateTimeOffset now)
    {
        var reason = $"interrupted {row.Tries} times by a run that died (MaxRetries {_options.MaxRetries}); it may be what stops the process: look at its input, then scanflow retry";
        SqlParameters.Execute(
            transaction,
            "UPDATE scans SET status = $failed, failure_kind = $permanent, error = $error, updated_utc = $now WHERE row_id = $row;",
            ("$failed", LedgerText.Status(ScanStatus.Failed)),
            ("$permanent", LedgerText.Kind(FailureKind.Permanent)),
            ("$error", reason),
            ("$now", LedgerText.Time(now)),
            ("$row", row.RowId));
        return new ClaimResult(ClaimOutcome.FailedPermanently, row.RowId, row.Attempts, null, null, reason);
    }

    private ClaimResult Skip(SqliteTransaction transaction, ScanClaim claim, ScanRow row, DateTimeOffset now)
    {
        var attempt = row.Attempts + 1;
        InsertAttempt(transaction, row.RowId, attempt, ScanStatus.Skipped, claim, now);
        (string, object?)[] parameters = [("$now", LedgerText.Time(now)), ("$row", row.RowId), ("$attempt", attempt)];
        SqlParameters.Execute(
            transaction,
            """
            UPDATE attempts SET l1_path = s.l1_path, l1_sha256 = s.l1_sha256, l1_bytes = s.l1_bytes, finished_utc = $now
            FROM (SELECT l1_path, l1_sha256, l1_bytes FROM scans WHERE row_id = $row) AS s
            WHERE attempts.row_id = $row AND attempts.attempt = $attempt;
            """,
            parameters);
        SqlParameters.Execute(transaction, "UPDATE scans SET attempts = $attempt, updated_utc = $now WHERE row_id = $row;", parameters);
        return new ClaimResult(ClaimOutcome.AlreadySucceeded, row.RowId, attempt, row.L1Path, null, $"scan {claim.ScanId} {ModelNames.Of(claim.Band)} already succeeded with the same inputs and configuration");
    }

    private ClaimResult Reclaim(SqliteTransaction transaction, ScanClaim claim, ScanRow row, DateTimeOffset now, int tries)
    {
        var superseded = TakeOverProductPath(transaction, claim.L1Path);
        // This row's own older product elsewhere (another output path) is no longer current either.
        SqlParameters.Execute(transaction, "UPDATE scans SET l1_current = 0 WHERE row_id = $row;", ("$row", row.RowId));
        var attempt = row.Attempts + 1;
        SqlParameters.Execute(
            transaction,
            """
            UPDATE scans SET source = $source, obs_mode = $mode, start_mjd = $mjd, input_path = $input, input_sha256 = $sha, input_bytes = $bytes,
                input_mtime_utc = $mtime, calibration_scan_ids = $calIds, calibration_sha256 = $calSha, engine_version = $engine, status = $running,
                attempts = $attempt, tries = $tries, run_id = $run, stage = NULL, error = NULL, failure_kind = NULL,
                l1_path = $l1, l1_sha256 = NULL, l1_bytes = NULL, started_utc = $now, finished_utc = NULL, updated_utc = $now
            WHERE row_id = $row;
            """,
            [.. ClaimParameters(claim, now), ("$row", row.RowId), ("$attempt", attempt), ("$tries", tries), ("$running", LedgerText.Status(ScanStatus.Running))]);
        InsertAttempt(transaction, row.RowId, attempt, ScanStatus.Running, claim, now);
        return new ClaimResult(ClaimOutcome.Claimed, row.RowId, attempt, null, superseded, null);
    }

    /// <summary>If a row's product currently sits at <paramref name="l1Path"/>, that product is superseded: returns the path for the caller to rename.</summary>
    private static string? TakeOverProductPath(SqliteTransaction transaction, string l1Path)
    {
        var changed = SqlParameters.Execute(transaction, "UPDATE scans SET l1_current = 0 WHERE l1_path = $path AND l1_current = 1;", ("$path", l1Path));
        return changed > 0 ? l1Path : null;
    }

    private (string, object?)[] ClaimParameters(ScanClaim claim, DateTimeOffset now) =>
    [
        ("$scan", claim.ScanId),
        ("$band", ModelNames.Of(claim.Band)),
        ("$source", claim.Source),
        ("$mode", ModelNames.Of(claim.ObsMode)),
        ("$mjd", claim.StartMjd),
        ("$input", claim.InputPath),
        ("$sha", claim.InputSha256),
        ("$bytes", claim.InputBytes),
        ("$mtime", claim.InputLastWriteUtc is { } mtime ? LedgerText.Time(mtime) : ""),
        ("$calIds", LedgerText.Ids(claim.CalibrationScanIds)),
        ("$calSha", LedgerText.Checksums(claim.CalibrationSha256)),
        ("$config", claim.ConfigSha256),
        ("$engine", claim.EngineVersion),
        ("$run", RunId),
        ("$l1", claim.L1Path),
        ("$now", LedgerText.Time(now)),
    ];

    private void InsertAttempt(SqliteTransaction transaction, long rowId, int attempt, ScanStatus status, ScanClaim claim, DateTimeOffset now) =>
        SqlParameters.Execute(
            transaction,
            """
            INSERT INTO attempts (row_id, attempt, run_id, status, input_path, input_sha256, input_bytes, calibration_scan_ids, calibration_sha256,
                config_sha256, engine_version, l1_path, started_utc)
            VALUES ($row, $attempt, $run, $status, $input, $sha, $bytes, $calIds, $calSha, $config, $engine, $l1, $now);
            """,
            [.. ClaimParameters(claim, now), ("$row", rowId), ("$attempt", attempt), ("$status", LedgerText.Status(status))]);

    /// <summary>The RUNNING rows of a dead run (or one of them): attempt FAILED Transient "interrupted", row to <paramref name="rowStatus"/>.</summary>
    private static void MarkInterrupted(SqliteTransaction transaction, string deadRunId, long? rowId, DateTimeOffset now, ScanStatus rowStatus)
    {
        (string, object?)[] parameters =
        [
            ("$error", $"interrupted: run {deadRunId} died"),
            ("$now", LedgerText.Time(now)),
            ("$run", deadRunId),
            ("$one", rowId),
            ("$status", LedgerText.Status(rowStatus)),
            ("$running", LedgerText.Status(ScanStatus.Running)),
            ("$failed", LedgerText.Status(ScanStatus.Failed)),
            ("$transient", LedgerText.Kind(FailureKind.Transient)),
        ];
        SqlParameters.Execute(
            transaction,
            """
            UPDATE attempts SET status = $failed, failure_kind = $transient, error = $error, finished_utc = $now
            FROM (SELECT row_id, attempts FROM scans WHERE status = $running AND run_id = $run AND ($one IS NULL OR row_id = $one)) AS s
            WHERE attempts.row_id = s.row_id AND attempts.attempt = s.attempts;
            """,
            parameters);
        SqlParameters.Execute(
            transaction,
            """
            UPDATE scans SET status = $status, error = $error, failure_kind = $transient, finished_utc = $now, updated_utc = $now
            WHERE status = $running AND run_id = $run AND ($one IS NULL OR row_id = $one);
            """,
            parameters);
    }

    private void Finish(long rowId, int attempt, ScanStatus status, string? stage, string? error, FailureKind? kind, IReadOnlyDictionary<string, TimeSpan> stageDurations, int triesDelta) =>
        _connection.Write(transaction =>
        {
            RequireOwnedAttempt(transaction, rowId, attempt);
            (string, object?)[] parameters =
            [
                ("$status", LedgerText.Status(status)),
                ("$stage", stage),
                ("$error", error),
                ("$kind", kind is null ? null : LedgerText.Kind(kind.Value)),
                ("$delta", triesDelta),
                ("$durations", LedgerText.Durations(stageDurations)),
                ("$now", LedgerText.Time(_time.GetUtcNow())),
                ("$row", rowId),
                ("$attempt", attempt),
            ];
            SqlParameters.Execute(
                transaction,
                """
                UPDATE scans SET status = $status, stage = $stage, error = $error, failure_kind = $kind, tries = max(0, tries + $delta),
                    finished_utc = $now, updated_utc = $now
                WHERE row_id = $row;
                """,
                parameters);
            SqlParameters.Execute(
                transaction,
                """
                UPDATE attempts SET status = $status, stage = $stage, error = $error, failure_kind = $kind, stage_durations = $durations, finished_utc = $now
                WHERE row_id = $row AND attempt = $attempt;
                """,
                parameters);
        });

    /// <summary>Only the run that holds an attempt may end it; another run may have recovered the row meanwhile.</summary>
    private void RequireOwnedAttempt(SqliteTransaction transaction, long rowId, int attempt)
    {
        using var command = SqlParameters.Command(transaction, "SELECT status, attempts, run_id FROM scans WHERE row_id = $row;", ("$row", rowId));
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            throw new InvalidOperationException($"ledger row {rowId} does not exist");
        }

        var status = reader.GetString(0);
        var current = reader.GetInt32(1);
        var owner = reader.IsDBNull(2) ? null : reader.GetString(2);
        if (LedgerText.ParseStatus(status) != ScanStatus.Running || current != attempt || owner != RunId)
        {
            throw new InvalidOperationException(
                $"ledger row {rowId} attempt {attempt} is not running in this run ({RunId}): the row is {status} at attempt {current} owned by {owner ?? "no run"}");
        }
    }
}

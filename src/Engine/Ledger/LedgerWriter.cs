using System.Globalization;
using Microsoft.Data.Sqlite;
using Scanflow.Engine.Model;

namespace Scanflow.Engine.Ledger;

/// <summary>
/// The single writer of a ledger: one connection, every method under one lock, every change in one
/// <c>BEGIN IMMEDIATE</c> transaction (<see cref="WriterConnection"/>; a second process on the same file waits for
/// the write lock instead of deciding on stale rows). A scan is RUNNING before work starts and SUCCEEDED only after
/// its product is in place with its checksum. A claim is decided by <see cref="ClaimDecision"/> and carried out by
/// <see cref="ClaimWrites"/>; waits, attempt ends and dead runs have their writes beside them.
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
    private readonly LedgerPaths _paths;

    private LedgerWriter(WriterConnection connection, LedgerOptions options, TimeProvider time, RunIdentity identity, string runId, LedgerPaths paths)
    {
        _paths = paths;
        _connection = connection;
        _options = options;
        _time = time;
        _identity = identity;
        RunId = runId;
    }

    /// <summary>When true (the service), a change that finds the disk full gives up the reserve and is tried once more;
    /// when false (a batch run), the caller decides when (<see cref="ReleaseReserve"/>).</summary>
    internal bool SpendReserveWhenFull
    {
        get => _connection.SpendReserveWhenFull;
        set => _connection.SpendReserveWhenFull = value;
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

        var reserve = new LedgerReserve(Path.GetFullPath(path));
        try
        {
            return Open(path, options, time, identity, reserve);
        }
        catch (Exception e) when (LedgerReserve.IsFull(e) && reserve.Release())
        {
            // A disk an earlier run filled up: nothing writes products yet, so the reserve is this run's to start with.
            return Open(path, options, time, identity, reserve);
        }
    }

    private static LedgerWriter Open(string path, LedgerOptions options, TimeProvider time, RunIdentity identity, LedgerReserve reserve)
    {
        var connection = LedgerConnection.OpenWriter(path);
        try
        {
            LedgerSchema.Migrate(connection, path);
            reserve.Make();
            var now = time.GetUtcNow();
            var runId = string.Create(CultureInfo.InvariantCulture, $"{now.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}-{identity.Pid}-{Guid.NewGuid():N}")[..32];
            var writer = new WriterConnection(connection, typeof(LedgerWriter), reserve);
            writer.Write(transaction => SqlParameters.Execute(
                transaction,
                "INSERT INTO runs (run_id, host, pid, process_start_utc, started_utc, heartbeat_utc) VALUES ($run, $host, $pid, $start, $now, $now);",
                ("$run", runId),
                ("$host", identity.Host),
                ("$pid", identity.Pid),
                ("$start", LedgerText.Time(identity.ProcessStartUtc)),
                ("$now", LedgerText.Time(now))));
            return new LedgerWriter(writer, options, time, identity, runId, new LedgerPaths(path));
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
    internal ClaimResult Claim(ScanClaim claim)
    {
        ArgumentNullException.ThrowIfNull(claim);
        if (claim.CalibrationScanIds.Count != claim.CalibrationSha256.Count)
        {
            throw new ArgumentException(
                $"scan {claim.ScanId}: {claim.CalibrationScanIds.Count} calibration scan ids but {claim.CalibrationSha256.Count} checksums",
                nameof(claim));
        }

        var stored = _paths.Stored(claim);
        var result = _connection.Write(transaction =>
        {
            var now = _time.GetUtcNow();
            var row = ScanRow.Find(transaction, stored.ScanId, stored.Band, stored.ConfigSha256);
            var decision = ClaimDecision.Decide(row, stored, _options, RunId, _identity, owner => DescribeLiveRun(transaction, owner, now));
            return new ClaimWrites(transaction, stored, RunId, now).Apply(decision, row);
        });
        return result with
        {
            ExistingL1Path = result.ExistingL1Path is { } existing ? _paths.Full(existing) : null,
            SupersededL1Path = result.SupersededL1Path is { } superseded ? _paths.Full(superseded) : null,
        };
    }

    /// <summary>
    /// The SHA-256 recorded for the file at <paramref name="path"/> when it had this size and last-write time, or null.
    /// Lets a restart skip re-reading files it has already hashed; a file rewritten in place changes its mtime, and
    /// one that kept both is trusted to be unchanged, as rsync and make trust it.
    /// </summary>
    internal string? KnownInputSha256(string path, long bytes, DateTime lastWriteUtc) => _connection.Read(connection =>
    {
        using var command = SqlParameters.Command(
            connection,
            null,
            "SELECT input_sha256 FROM scans WHERE input_path = $path AND input_bytes = $bytes AND input_mtime_utc = $mtime AND input_sha256 <> '' LIMIT 1;",
            ("$path", LedgerPaths.Input(path)),
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
    internal bool Waiting(LedgerScan scan, string reason)
    {
        ArgumentNullException.ThrowIfNull(scan);
        ArgumentException.ThrowIfNullOrEmpty(reason);
        return _connection.Write(transaction =>
        {
            var now = _time.GetUtcNow();
            var row = ScanRow.Find(transaction, scan.ScanId, scan.Band, scan.ConfigSha256);
            return new WaitWrites(transaction, RunId, now).Waiting(row, _paths.Stored(scan), reason);
        });
    }

    /// <summary>
    /// The wait for a calibration scan timed out: a WAITING row becomes FAILED Permanent at stage 'plan' with
    /// <paramref name="reason"/>, and a FAILED attempt is recorded (started when the wait began). A later claim with
    /// the calibration present still proceeds: its inputs differ from the row's "not known yet" ones. Returns false
    /// (and changes nothing) when the row is missing or no longer WAITING.
    /// </summary>
    internal bool WaitExpired(long scanId, Band band, string configSha256, string reason)
    {
        ArgumentException.ThrowIfNullOrEmpty(configSha256);
        ArgumentException.ThrowIfNullOrEmpty(reason);
        return _connection.Write(transaction =>
        {
            var row = ScanRow.Find(transaction, scanId, band, configSha256);
            return new WaitWrites(transaction, RunId, _time.GetUtcNow()).Expired(row, reason);
        });
    }

    /// <summary>
    /// Records that the file at <paramref name="path"/> (this size and mtime) was rejected, and why: a symlink out of
    /// the drop directory, an unreadable file, a foreign format. The same version is recorded once (the first reason
    /// stays); a changed file is a new version. Returns whether this call recorded it.
    /// </summary>
    internal bool Rejected(string path, string reason, long size, DateTimeOffset mtimeUtc)
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

    /// <summary>Records the attempt SUCCEEDED with its products, the L1 file (SCIENCE) and <paramref name="qualityProducts"/>
    /// (QA_METRIC, PLOT), in one transaction: a crash records all of them or none. Call only after every product is renamed
    /// into place and its checksum computed. With <paramref name="plotDataPath"/> the attempt also owes the plots drawn
    /// from that file (<see cref="PlotsDrawn"/>); the returned <see cref="PendingPlots"/> names them.</summary>
    internal PendingPlots? Succeeded(
        long rowId,
        int attempt,
        string l1Path,
        string l1Sha256,
        long l1Bytes,
        IReadOnlyList<ProductFile> qualityProducts,
        IReadOnlyDictionary<string, TimeSpan> stageDurations,
        string? plotDataPath = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(l1Path);
        ArgumentException.ThrowIfNullOrEmpty(l1Sha256);
        ArgumentNullException.ThrowIfNull(qualityProducts);
        ArgumentNullException.ThrowIfNull(stageDurations);
        var stored = qualityProducts.Select(p => CheckQualityProduct(p, l1Path) with { Path = _paths.Stored(p.Path) }).ToList();
        if (stored.Select(p => p.Path).Distinct(StringComparer.Ordinal).Count() != stored.Count)
        {
            throw new ArgumentException($"ledger row {rowId} attempt {attempt}: a quality product path is listed twice", nameof(qualityProducts));
        }

        return _connection.Write(transaction =>
        {
            var writes = new FinishWrites(transaction, RunId, _time.GetUtcNow());
            writes.RequireOwnedAttempt(rowId, attempt);
            writes.Succeeded(rowId, attempt, _paths.Stored(l1Path), l1Sha256, l1Bytes, stored, stageDurations);
            return plotDataPath is null
                ? null
                : new PlotWrites(transaction, RunId, _time.GetUtcNow()).Owe(rowId, attempt, _paths.Stored(plotDataPath)) with { DataPath = plotDataPath };
        });
    }

    /// <summary>The plots that dead runs owe become this run's to draw; returns them (paths in full).</summary>
    internal IReadOnlyList<PendingPlots> TakeOverPendingPlots() => _connection.Write(transaction =>
    {
        var now = _time.GetUtcNow();
        return (IReadOnlyList<PendingPlots>)new PlotWrites(transaction, RunId, now).TakeOver(owner => DescribeLiveRun(transaction, owner, now) is not null)
            .Select(plots => plots with { DataPath = _paths.Full(plots.DataPath) })
            .ToList();
    });

    /// <summary>Records the drawn <paramref name="plots"/> (PLOT) of <paramref name="pending"/> and ends the debt, in one
    /// transaction; false, recording nothing, when this run no longer owes them or the attempt is no longer the current
    /// product. The plots that failed to draw are simply not among them.</summary>
    internal bool PlotsDrawn(PendingPlots pending, IReadOnlyList<ProductFile> plots)
    {
        ArgumentNullException.ThrowIfNull(pending);
        ArgumentNullException.ThrowIfNull(plots);
        if (plots.FirstOrDefault(p => p.Type != ProductTypes.Plot) is { } other)
        {
            throw new ArgumentException($"{other.Path} is a {other.Type}, not a {ProductTypes.Plot}", nameof(plots));
        }

        var stored = plots.Select(p => p with { Path = _paths.Stored(p.Path) }).ToList();
        return _connection.Write(transaction => new PlotWrites(transaction, RunId, _time.GetUtcNow()).Drawn(pending.RowId, pending.Attempt, stored));
    }

    /// <summary>
    /// Product files moved from one path to another (a superseded product and its QA files set aside under a versioned
    /// name): the products rows that named a <c>From</c> path name its <c>To</c> path. Rows of the current product never
    /// name a path being set aside (the claim that supersedes it took the path over). Returns the rows changed.
    /// </summary>
    internal int ProductsMoved(IReadOnlyList<(string From, string To)> moves)
    {
        ArgumentNullException.ThrowIfNull(moves);
        if (moves.Count == 0)
        {
            return 0;
        }

        return _connection.Write(transaction => moves.Sum(move => SqlParameters.Execute(
            transaction,
            "UPDATE products SET path = $to WHERE path = $from;",
            ("$from", _paths.Stored(move.From)),
            ("$to", _paths.Stored(move.To)))));
    }

    /// <summary>Records a job array before sbatch runs: the submission, and for each attempt its task and place in the shard.
    /// A coordinator killed between this and <see cref="SlurmSubmitted"/> finds the job again by its comment.</summary>
    internal void SlurmSubmitting(SlurmSubmission submission)
    {
        ArgumentNullException.ThrowIfNull(submission);
        _connection.Write(transaction =>
        {
            var now = LedgerText.Time(_time.GetUtcNow());
            SqlParameters.Execute(
                transaction,
                """
                INSERT INTO slurm_submissions (submission, run_id, plan_path, job_name, tasks, submitted_utc)
                VALUES ($submission, $run, $plan, $name, $tasks, $now);
                """,
                ("$submission", submission.Submission),
                ("$run", RunId),
                ("$plan", submission.PlanPath),
                ("$name", submission.JobName),
                ("$tasks", submission.Tasks),
                ("$now", now));
            var owned = new FinishWrites(transaction, RunId, _time.GetUtcNow());
            foreach (var (rowId, attempt, task, index) in submission.Attempts)
            {
                owned.RequireOwnedAttempt(rowId, attempt);
                SqlParameters.Execute(
                    transaction,
                    "UPDATE attempts SET slurm_submission = $submission, slurm_task = $task, slurm_index = $index WHERE row_id = $row AND attempt = $attempt;",
                    ("$submission", submission.Submission),
                    ("$task", task),
                    ("$index", index),
                    ("$row", rowId),
                    ("$attempt", attempt));
            }
        });
    }

    /// <summary>Records the job id sbatch (or, after a restart, squeue) gave the submission.</summary>
    internal void SlurmSubmitted(string submission, string jobId) => _connection.Write(transaction => SqlParameters.Execute(
        transaction,
        "UPDATE slurm_submissions SET job_id = $job WHERE submission = $submission;",
        ("$job", jobId),
        ("$submission", submission)));

    /// <summary>Records what the SLURM task that ran the attempt reported: its node, elapsed and CPU time, peak memory.</summary>
    internal void SlurmUsage(long rowId, int attempt, string? node, double elapsedSeconds, double cpuSeconds, long maxRssBytes) =>
        _connection.Write(transaction => SqlParameters.Execute(
            transaction,
            """
            UPDATE attempts SET slurm_node = $node, slurm_elapsed_s = $elapsed, slurm_cpu_s = $cpu, slurm_max_rss_bytes = $rss
            WHERE row_id = $row AND attempt = $attempt;
            """,
            ("$node", node),
            ("$elapsed", elapsedSeconds),
            ("$cpu", cpuSeconds),
            ("$rss", maxRssBytes),
            ("$row", rowId),
            ("$attempt", attempt)));

    /// <summary>Records the attempt FAILED at <paramref name="stage"/>; <see cref="ShouldRetry"/> then says whether to try again.
    /// A failure that is no fault of the scan (a full output disk) has <paramref name="countsAsTry"/> false and leaves its
    /// retry budget as it was.</summary>
    internal void Failed(
        long rowId, int attempt, string stage, string error, FailureKind kind, IReadOnlyDictionary<string, TimeSpan> stageDurations, bool countsAsTry = true)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(stageDurations);
        Finish(rowId, attempt, ScanStatus.Failed, stage, error, kind, stageDurations, triesDelta: countsAsTry ? 0 : -1);
    }

    /// <summary>The size of the largest product the ledger records for a SUCCEEDED scan, its L1 file with its QA files and
    /// plots (one attempt's products together), in bytes; 0 when there is none.</summary>
    internal long LargestProductBytes() => _connection.Read(connection =>
    {
        using var command = SqlParameters.Command(
            connection,
            null,
            """
            SELECT COALESCE(MAX(total), 0) FROM (
                SELECT SUM(p.bytes) AS total FROM products p JOIN scans s ON s.row_id = p.row_id
                WHERE s.status = $succeeded GROUP BY p.row_id, p.attempt);
            """,
            ("$succeeded", LedgerText.Status(ScanStatus.Succeeded)));
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    });

    /// <summary>Records the attempt CANCELLED; a cancelled attempt does not count against the retry budget.</summary>
    internal void Cancelled(long rowId, int attempt, string? stage, IReadOnlyDictionary<string, TimeSpan> stageDurations)
    {
        ArgumentNullException.ThrowIfNull(stageDurations);
        Finish(rowId, attempt, ScanStatus.Cancelled, stage, null, null, stageDurations, triesDelta: -1);
    }

    /// <summary>True when the row's last attempt FAILED transiently and it has had at most MaxRetries tries since its inputs last changed.</summary>
    internal bool ShouldRetry(long rowId) => _connection.Read(connection =>
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
    internal IReadOnlyList<RecoveredScan> RecoverDeadRuns() => _connection.Write(transaction =>
    {
        var now = _time.GetUtcNow();
        return (IReadOnlyList<RecoveredScan>)new DeadRunWrites(transaction, now).Recover(RunId, owner => DescribeLiveRun(transaction, owner, now) is not null)
            .Select(scan => scan with { L1Path = _paths.Full(scan.L1Path) })
            .ToList();
    });

    /// <summary>Tells other hosts this run is alive; call every ~30 s (well inside HeartbeatTimeout).</summary>
    internal void Heartbeat() => _connection.Write(transaction => SqlParameters.Execute(
        transaction,
        "UPDATE runs SET heartbeat_utc = $now WHERE run_id = $run;",
        ("$now", LedgerText.Time(_time.GetUtcNow())),
        ("$run", RunId)));

    /// <summary>
    /// <c>scanflow retry</c>: FAILED rows (all of them with <paramref name="failedOnly"/>, or only those of
    /// <paramref name="scanIds"/>) become PENDING with a fresh retry budget, so the next run claims them even
    /// after a permanent failure. The WAITING rows of <paramref name="scanIds"/> become PENDING too: a service takes
    /// a scan WAITING for its later calibration (gain interpolation) through with the one it has. Neither flag nor ids
    /// requeues nothing. Returns the rows changed.
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
            WHERE (status = $failed AND ($all = 1 OR scan_id IN (SELECT value FROM json_each($ids))))
                OR (status = $waiting AND $all = 0 AND scan_id IN (SELECT value FROM json_each($ids)));
            """,
            ("$pending", LedgerText.Status(ScanStatus.Pending)),
            ("$failed", LedgerText.Status(ScanStatus.Failed)),
            ("$waiting", LedgerText.Status(ScanStatus.Waiting)),
            ("$now", LedgerText.Time(_time.GetUtcNow())),
            ("$all", scanIds.Count == 0 ? 1 : 0),
            ("$ids", LedgerText.Ids(scanIds))));
    }

    /// <summary>The status of the row for (<paramref name="scanId"/>, <paramref name="band"/>, <paramref name="configSha256"/>), or null when there is none.</summary>
    internal ScanStatus? StatusOf(long scanId, Band band, string configSha256) => _connection.Read(connection =>
    {
        using var command = SqlParameters.Command(
            connection,
            null,
            "SELECT status FROM scans WHERE scan_id = $scan AND band = $band AND config_sha256 = $config;",
            ("$scan", scanId),
            ("$band", ModelNames.Of(band)),
            ("$config", configSha256));
        return command.ExecuteScalar() is string text ? LedgerText.ParseStatus(text) : (ScanStatus?)null;
    });

    /// <summary>The input files of PENDING rows: scans requeued by <c>scanflow retry</c> (or left by a dead run) that a
    /// running service takes again.</summary>
    internal IReadOnlyList<string> PendingInputPaths() => _connection.Read(connection =>
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

    /// <summary>Sets space aside for the ledger again after a full disk used it up (<see cref="LedgerReserve"/>); does
    /// nothing while it is there or while the disk has no room for it.</summary>
    internal void RestoreReserve() => _connection.RestoreReserve();

    /// <summary>Gives the ledger's reserve back to the disk, for changes that found it full; call only when nothing else
    /// writes to that disk any more (the products would take the space first). False when there was none.</summary>
    internal bool ReleaseReserve() => _connection.ReleaseReserve();

    /// <summary>Marks this run finished and closes the connection; RUNNING rows it leaves behind are recovered by the next run.</summary>
    public void Dispose() => _connection.Close(transaction => SqlParameters.Execute(
        transaction,
        "UPDATE runs SET finished_utc = $now, heartbeat_utc = $now WHERE run_id = $run;",
        ("$now", LedgerText.Time(_time.GetUtcNow())),
        ("$run", RunId)));

    /// <summary>Closes the connection without marking the run finished, as <c>kill -9</c> would; for tests.</summary>
    internal void Abandon() => _connection.Abandon();

    private static ProductFile CheckQualityProduct(ProductFile product, string l1Path)
    {
        ArgumentNullException.ThrowIfNull(product);
        if (product.Type is not (ProductTypes.QaMetric or ProductTypes.Plot))
        {
            throw new ArgumentException($"{product.Path}: product type '{product.Type}' is not a quality product ({ProductTypes.QaMetric} or {ProductTypes.Plot})", nameof(product));
        }

        ArgumentException.ThrowIfNullOrEmpty(product.Path);
        ArgumentException.ThrowIfNullOrEmpty(product.Sha256);
        ArgumentOutOfRangeException.ThrowIfNegative(product.Bytes);
        if (Path.GetFullPath(product.Path) == Path.GetFullPath(l1Path))
        {
            throw new ArgumentException($"{product.Path} is the L1 file, not a quality product", nameof(product));
        }

        return product;
    }

    /// <summary>How to name the run <paramref name="runId"/> while it is alive; null when it is dead or not in <c>runs</c>.</summary>
    private string? DescribeLiveRun(SqliteTransaction transaction, string runId, DateTimeOffset now) =>
        RunRow.Find(transaction, runId) is { } run && run.IsAlive(_identity.Host, now, _options.HeartbeatTimeout) ? run.Describe() : null;

    private void Finish(
        long rowId, int attempt, ScanStatus status, string? stage, string? error, FailureKind? kind, IReadOnlyDictionary<string, TimeSpan> stageDurations, int triesDelta) =>
        _connection.Write(transaction =>
        {
            var writes = new FinishWrites(transaction, RunId, _time.GetUtcNow());
            writes.RequireOwnedAttempt(rowId, attempt);
            writes.Ended(rowId, attempt, status, stage, error, kind, stageDurations, triesDelta);
        });
}

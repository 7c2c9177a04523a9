using System.Globalization;
using Microsoft.Data.Sqlite;
using Scanflow.Engine.Model;

namespace Scanflow.Engine.Ledger;

/// <summary>
/// Queries for <c>scanflow status | scans | show | export</c> and verification, on its own read-only
/// connection; it never blocks the writer (WAL) and sees every committed change.
/// </summary>
public sealed class LedgerReader : IDisposable
{
    private const string TypeOrder = "CASE p.type WHEN 'SCIENCE' THEN 0 WHEN 'QA_METRIC' THEN 1 WHEN 'PLOT' THEN 2 ELSE 3 END";

    private static readonly (string, object?) Succeeded = ("$succeeded", LedgerText.Status(ScanStatus.Succeeded));

    private readonly SqliteConnection _connection;
    private readonly LedgerPaths _paths;

    private LedgerReader(SqliteConnection connection, LedgerPaths paths)
    {
        _connection = connection;
        _paths = paths;
    }

    /// <summary>Opens an existing ledger read-only; a missing file is an error that names the path and the default location.</summary>
    public static LedgerReader Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"no ledger at {path}; a ledger is created by the first run, by default as {LedgerWriter.DefaultFileName} in the output directory",
                path);
        }

        var connection = LedgerConnection.OpenReader(path);
        try
        {
            LedgerSchema.CheckReadable(connection, path);
            return new LedgerReader(connection, new LedgerPaths(path));
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Counts by status and band, the last success, the oldest pending scan, what succeeded in the hour before
    /// <paramref name="now"/>, and how many rows wait for a calibration and how many file versions were rejected.
    /// </summary>
    public LedgerStatus Status(DateTimeOffset now)
    {
        using var transaction = _connection.BeginTransaction(deferred: true); // one snapshot for every figure
        var counts = new List<(ScanStatus Status, string Band, int Count)>();
        using (var command = SqlParameters.Command(_connection, transaction, "SELECT status, band, count(*) FROM scans GROUP BY status, band ORDER BY status, band;"))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                counts.Add((LedgerText.ParseStatus(reader.GetString(0)), reader.GetString(1), reader.GetInt32(2)));
            }
        }

        DateTimeOffset? lastSuccess = null;
        using (var command = SqlParameters.Command(_connection, transaction, "SELECT max(finished_utc) FROM attempts WHERE status = $succeeded;", Succeeded))
        {
            if (command.ExecuteScalar() is string text)
            {
                lastSuccess = LedgerText.ParseTime(text);
            }
        }

        long? oldestScan = null;
        DateTimeOffset? oldestSince = null;
        using (var command = SqlParameters.Command(
            _connection,
            transaction,
            "SELECT scan_id, updated_utc FROM scans WHERE status = $pending ORDER BY updated_utc, row_id LIMIT 1;",
            ("$pending", LedgerText.Status(ScanStatus.Pending))))
        using (var reader = command.ExecuteReader())
        {
            if (reader.Read())
            {
                oldestScan = reader.GetInt64(0);
                oldestSince = LedgerText.ParseTime(reader.GetString(1));
            }
        }

        int succeeded;
        long bytes;
        using (var command = SqlParameters.Command(
            _connection,
            transaction,
            "SELECT count(*), coalesce(sum(input_bytes), 0) FROM attempts WHERE status = $succeeded AND finished_utc > $since AND finished_utc <= $now;",
            Succeeded,
            ("$since", LedgerText.Time(now - TimeSpan.FromHours(1))),
            ("$now", LedgerText.Time(now))))
        using (var reader = command.ExecuteReader())
        {
            reader.Read();
            succeeded = reader.GetInt32(0);
            bytes = reader.GetInt64(1);
        }

        int rejected;
        using (var command = SqlParameters.Command(_connection, transaction, "SELECT count(*) FROM rejected_files;"))
        {
            rejected = Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        }

        transaction.Commit();
        var waiting = counts.Where(c => c.Status == ScanStatus.Waiting).Sum(c => c.Count);
        return new LedgerStatus(counts, lastSuccess, oldestScan, oldestSince, succeeded, bytes, waiting, rejected);
    }

    /// <summary>Rows filtered by status, source (exact) and start MJD (at or after), ordered by start time.</summary>
    public IReadOnlyList<ScanRecord> Scans(ScanStatus? status = null, string? source = null, double? sinceMjd = null) =>
        ReadScans(
            $"""
            SELECT {LedgerRows.ScanColumns} FROM scans
            WHERE ($status IS NULL OR status = $status) AND ($source IS NULL OR source = $source) AND ($since IS NULL OR start_mjd >= $since)
            ORDER BY start_mjd, scan_id, band, row_id;
            """,
            ("$status", status is null ? null : LedgerText.Status(status.Value)),
            ("$source", source),
            ("$since", sinceMjd));

    /// <summary>Every row of <paramref name="scanId"/>: one per band and configuration.</summary>
    public IReadOnlyList<ScanRecord> History(long scanId) =>
        ReadScans($"SELECT {LedgerRows.ScanColumns} FROM scans WHERE scan_id = $scan ORDER BY band, row_id;", ("$scan", scanId));

    /// <summary>Every attempt (for export), or those of one row, in order.</summary>
    public IReadOnlyList<AttemptRecord> Attempts(long? rowId = null)
    {
        using var command = SqlParameters.Command(
            _connection,
            null,
            $"""
            SELECT {LedgerRows.AttemptColumns} FROM attempts a JOIN scans s ON s.row_id = a.row_id
            WHERE ($row IS NULL OR a.row_id = $row)
            ORDER BY a.row_id, a.attempt;
            """,
            ("$row", rowId));
        using var reader = command.ExecuteReader();
        var attempts = new List<AttemptRecord>();
        while (reader.Read())
        {
            var attempt = LedgerRows.ReadAttempt(reader);
            attempts.Add(attempt with { L1Path = _paths.Full(attempt.L1Path) });
        }

        return attempts;
    }

    /// <summary>The products that should exist now with these checksums (a superseded or overwritten product is not listed).</summary>
    public IReadOnlyList<(string L1Path, string L1Sha256)> Products()
    {
        using var command = SqlParameters.Command(
            _connection,
            null,
            "SELECT l1_path, l1_sha256 FROM scans WHERE status = $succeeded AND l1_current = 1 ORDER BY l1_path;",
            Succeeded);
        using var reader = command.ExecuteReader();
        var products = new List<(string, string)>();
        while (reader.Read())
        {
            products.Add((_paths.Full(reader.GetString(0)), reader.GetString(1)));
        }

        return products;
    }

    /// <summary>The products (L1 file, QA metrics, plots) recorded for ledger row <paramref name="rowId"/>: of every attempt,
    /// or with <paramref name="currentOnly"/> only those of the attempt that made its current product. Ordered by attempt,
    /// then SCIENCE, QA_METRIC, PLOT, then path.</summary>
    internal IReadOnlyList<ProductRecord> ProductsOf(long rowId, bool currentOnly = false) => ReadProducts(
        $"""
        SELECT {LedgerRows.ProductColumns} FROM products p JOIN scans s ON s.row_id = p.row_id
        WHERE p.row_id = $row AND ($current = 0 OR ({LedgerRows.CurrentProductCondition}))
        ORDER BY p.attempt, {TypeOrder}, p.path;
        """,
        ("$row", rowId),
        ("$current", currentOnly ? 1 : 0));

    /// <summary>Every product of every row's current product (what <c>scanflow verify</c> re-hashes), ordered by path.</summary>
    internal IReadOnlyList<ProductRecord> CurrentProducts() => ReadProducts(
        $"""
        SELECT {LedgerRows.ProductColumns} FROM products p JOIN scans s ON s.row_id = p.row_id
        WHERE {LedgerRows.CurrentProductCondition}
        ORDER BY p.path;
        """);

    /// <summary>The current SUCCEEDED product of <paramref name="scanId"/> in <paramref name="band"/> made with the
    /// configuration <paramref name="configSha256"/> from an input at this path with this size and last-write time, or
    /// null: what <c>scanflow calibrate --limit</c> counts as done without reading the file.</summary>
    internal string? CurrentProduct(
        long scanId, Band band, string configSha256, string inputPath, long inputBytes, DateTime inputLastWriteUtc, IReadOnlyList<long> calibrationScanIds)
    {
        using var command = SqlParameters.Command(
            _connection,
            null,
            """
            SELECT l1_path FROM scans
            WHERE scan_id = $scan AND band = $band AND config_sha256 = $config AND status = $succeeded AND l1_current = 1
                AND input_path = $path AND input_bytes = $bytes AND input_mtime_utc = $mtime AND calibration_scan_ids = $calIds
            LIMIT 1;
            """,
            Succeeded,
            ("$scan", scanId),
            ("$band", ModelNames.Of(band)),
            ("$config", configSha256),
            ("$path", LedgerPaths.Input(inputPath)),
            ("$bytes", inputBytes),
            ("$mtime", LedgerText.Time(inputLastWriteUtc)),
            ("$calIds", LedgerText.Ids(calibrationScanIds)));
        return command.ExecuteScalar() as string is { } product ? _paths.Full(product) : null;
    }

    /// <summary>Every rejected file version, oldest rejection first.</summary>
    public IReadOnlyList<RejectedFile> RejectedFiles()
    {
        using var command = SqlParameters.Command(
            _connection,
            null,
            "SELECT path, reason, size, mtime_utc, rejected_utc FROM rejected_files ORDER BY rejected_utc, path, mtime_utc, size;");
        using var reader = command.ExecuteReader();
        var files = new List<RejectedFile>();
        while (reader.Read())
        {
            files.Add(new RejectedFile(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), LedgerText.ParseTime(reader.GetString(3)), LedgerText.ParseTime(reader.GetString(4))));
        }

        return files;
    }

    /// <summary>Closes the read-only connection.</summary>
    public void Dispose() => _connection.Dispose();

    private List<ProductRecord> ReadProducts(string sql, params (string, object?)[] parameters)
    {
        using var command = SqlParameters.Command(_connection, null, sql, parameters);
        using var reader = command.ExecuteReader();
        var products = new List<ProductRecord>();
        while (reader.Read())
        {
            var product = LedgerRows.ReadProduct(reader);
            products.Add(product with { Path = _paths.Full(product.Path) });
        }

        return products;
    }

    private List<ScanRecord> ReadScans(string sql, params (string, object?)[] parameters)
    {
        using var command = SqlParameters.Command(_connection, null, sql, parameters);
        using var reader = command.ExecuteReader();
        var records = new List<ScanRecord>();
        while (reader.Read())
        {
            var record = LedgerRows.ReadScan(reader);
            records.Add(record with { L1Path = _paths.Full(record.L1Path) });
        }

        return records;
    }
}

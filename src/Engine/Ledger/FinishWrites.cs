using Microsoft.Data.Sqlite;

namespace Scanflow.Engine.Ledger;

/// <summary>How an attempt this run holds ends: SUCCEEDED with its product, or FAILED / CANCELLED at a stage.</summary>
internal sealed class FinishWrites(SqliteTransaction transaction, string runId, DateTimeOffset now)
{
    /// <summary>Only the run that holds an attempt may end it; another run may have recovered the row meanwhile.</summary>
    public void RequireOwnedAttempt(long rowId, int attempt)
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
        if (LedgerText.ParseStatus(status) != ScanStatus.Running || current != attempt || owner != runId)
        {
            throw new InvalidOperationException(
                $"ledger row {rowId} attempt {attempt} is not running in this run ({runId}): the row is {status} at attempt {current} owned by {owner ?? "no run"}");
        }
    }

    /// <summary>The row and its attempt SUCCEEDED with the product at <paramref name="l1Path"/>, which is now the current one there;
    /// the attempt's products are the L1 file (SCIENCE) and <paramref name="qualityProducts"/>. Paths are in their stored form.</summary>
    public void Succeeded(
        long rowId, int attempt, string l1Path, string l1Sha256, long l1Bytes, IReadOnlyList<ProductFile> qualityProducts, IReadOnlyDictionary<string, TimeSpan> stageDurations)
    {
        (string, object?)[] parameters =
        [
            ("$path", l1Path),
            ("$sha", l1Sha256),
            ("$bytes", l1Bytes),
            ("$durations", LedgerText.Durations(stageDurations)),
            ("$now", LedgerText.Time(now)),
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
        InsertProducts(rowId, attempt, [new ProductFile(ProductTypes.Science, l1Path, l1Bytes, l1Sha256), .. qualityProducts]);
    }

    /// <summary>Adds <paramref name="products"/> (paths in their stored form) to the attempt's products.</summary>
    public void InsertProducts(long rowId, int attempt, IEnumerable<ProductFile> products)
    {
        foreach (var product in products)
        {
            SqlParameters.Execute(
                transaction,
                """
                INSERT INTO products (row_id, attempt, type, path, bytes, sha256, recorded_utc)
                VALUES ($row, $attempt, $type, $path, $bytes, $sha, $now);
                """,
                ("$row", rowId),
                ("$attempt", attempt),
                ("$type", product.Type),
                ("$path", product.Path),
                ("$bytes", product.Bytes),
                ("$sha", product.Sha256),
                ("$now", LedgerText.Time(now)));
        }
    }

    /// <summary>The row and its attempt end as <paramref name="status"/>; the row's retry count moves by <paramref name="triesDelta"/> (never below 0).</summary>
    public void Ended(
        long rowId, int attempt, ScanStatus status, string? stage, string? error, FailureKind? kind, IReadOnlyDictionary<string, TimeSpan> stageDurations, int triesDelta)
    {
        (string, object?)[] parameters =
        [
            ("$status", LedgerText.Status(status)),
            ("$stage", stage),
            ("$error", error),
            ("$kind", kind is null ? null : LedgerText.Kind(kind.Value)),
            ("$delta", triesDelta),
            ("$durations", LedgerText.Durations(stageDurations)),
            ("$now", LedgerText.Time(now)),
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
    }
}

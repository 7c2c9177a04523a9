using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Scanflow.Engine.Ledger;

/// <summary>Carries out a <see cref="ClaimDecision"/> for one claim, in the transaction that read the row it was decided on.</summary>
internal sealed class ClaimWrites(SqliteTransaction transaction, ScanClaim claim, string runId, DateTimeOffset now)
{
    public ClaimResult Apply(ClaimDecision decision, ScanRow? row) => (decision.Action, row) switch
    {
        (ClaimAction.Insert, null) => Insert(decision.Tries),
        (ClaimAction.Skip, { } existing) => Skip(existing, decision.Reason),
        (ClaimAction.Reclaim, { } existing) => Reclaim(existing, decision.Tries),
        (ClaimAction.TakeOverDeadRun, { } existing) => TakeOverDeadRun(existing, decision.Tries),
        (ClaimAction.Reattach, { } existing) => Reattach(existing),
        (ClaimAction.HeldByThisRun or ClaimAction.HeldByAnotherRun, { } existing) =>
            new ClaimResult(ClaimOutcome.HeldByAnotherRun, existing.RowId, existing.Attempts, null, null, decision.Reason),
        (ClaimAction.GiveUpInterrupted, { } existing) => GiveUpInterrupted(existing, decision.Reason),
        (ClaimAction.FailedPermanently, { } existing) =>
            new ClaimResult(ClaimOutcome.FailedPermanently, existing.RowId, existing.Attempts, null, null, decision.Reason),
        _ => throw new InvalidOperationException($"claim decision {decision.Action} does not apply to {(row is null ? "a missing row" : $"ledger row {row.RowId}")}"),
    };

    private ClaimResult Insert(int tries)
    {
        var superseded = TakeOverProductPath();
        using var command = SqlParameters.Command(
            transaction,
            """
            INSERT INTO scans (scan_id, band, source, obs_mode, start_mjd, input_path, input_sha256, input_bytes, input_mtime_utc, calibration_scan_ids,
                calibration_sha256, config_sha256, engine_version, status, attempts, tries, run_id, l1_path, started_utc, updated_utc)
            VALUES ($scan, $band, $source, $mode, $mjd, $input, $sha, $bytes, $mtime, $calIds, $calSha, $config, $engine, $running, 1, $tries, $run, $l1, $now, $now)
            RETURNING row_id;
            """,
            [.. ClaimParameters(), ("$tries", tries), ("$running", LedgerText.Status(ScanStatus.Running))]);
        var rowId = Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        InsertAttempt(rowId, 1, ScanStatus.Running);
        return new ClaimResult(ClaimOutcome.Claimed, rowId, 1, null, superseded, null);
    }

    private ClaimResult Skip(ScanRow row, string? reason)
    {
        var attempt = row.Attempts + 1;
        InsertAttempt(row.RowId, attempt, ScanStatus.Skipped);
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
        return new ClaimResult(ClaimOutcome.AlreadySucceeded, row.RowId, attempt, row.L1Path, null, reason);
    }

    private ClaimResult Reclaim(ScanRow row, int tries)
    {
        var superseded = TakeOverProductPath();
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
            [.. ClaimParameters(), ("$row", row.RowId), ("$attempt", attempt), ("$tries", tries), ("$running", LedgerText.Status(ScanStatus.Running))]);
        InsertAttempt(row.RowId, attempt, ScanStatus.Running);
        return new ClaimResult(ClaimOutcome.Claimed, row.RowId, attempt, null, superseded, null);
    }

    private ClaimResult TakeOverDeadRun(ScanRow row, int tries)
    {
        new DeadRunWrites(transaction, now).MarkInterrupted(row.RunId ?? "(unknown)", row.RowId, ScanStatus.Failed);
        return Reclaim(row, tries);
    }

    /// <summary>The dead run's attempt becomes this run's, unchanged: its SLURM task goes on and its result is collected.</summary>
    private ClaimResult Reattach(ScanRow row)
    {
        (string, object?)[] parameters = [("$run", runId), ("$now", LedgerText.Time(now)), ("$row", row.RowId), ("$attempt", row.Attempts)];
        SqlParameters.Execute(transaction, "UPDATE scans SET run_id = $run, updated_utc = $now WHERE row_id = $row;", parameters);
        SqlParameters.Execute(transaction, "UPDATE attempts SET run_id = $run WHERE row_id = $row AND attempt = $attempt;", parameters);
        using var command = SqlParameters.Command(
            transaction,
            """
            SELECT s.submission, s.plan_path, s.job_name, s.job_id, a.slurm_task, a.slurm_index
            FROM attempts a JOIN slurm_submissions s ON s.submission = a.slurm_submission
            WHERE a.row_id = $row AND a.attempt = $attempt;
            """,
            parameters);
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            throw new InvalidOperationException($"ledger row {row.RowId} attempt {row.Attempts} names SLURM submission {row.SlurmSubmission}, which the ledger does not hold");
        }

        var slurm = new SlurmAttempt(
            reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetInt32(4), reader.GetInt32(5));
        return new ClaimResult(ClaimOutcome.Claimed, row.RowId, row.Attempts, null, null, null) { Reattach = slurm };
    }

    private ClaimResult GiveUpInterrupted(ScanRow row, string? reason)
    {
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

    /// <summary>If a row's product currently sits at the claim's product path, that product is superseded: returns the path for the caller to rename.</summary>
    private string? TakeOverProductPath()
    {
        var changed = SqlParameters.Execute(transaction, "UPDATE scans SET l1_current = 0 WHERE l1_path = $path AND l1_current = 1;", ("$path", claim.L1Path));
        return changed > 0 ? claim.L1Path : null;
    }

    private void InsertAttempt(long rowId, int attempt, ScanStatus status) =>
        SqlParameters.Execute(
            transaction,
            """
            INSERT INTO attempts (row_id, attempt, run_id, status, input_path, input_sha256, input_bytes, calibration_scan_ids, calibration_sha256,
                config_sha256, engine_version, l1_path, started_utc)
            VALUES ($row, $attempt, $run, $status, $input, $sha, $bytes, $calIds, $calSha, $config, $engine, $l1, $now);
            """,
            [.. ClaimParameters(), ("$row", rowId), ("$attempt", attempt), ("$status", LedgerText.Status(status))]);

    private (string, object?)[] ClaimParameters() =>
    [
        .. SqlParameters.Of(claim),
        ("$sha", claim.InputSha256),
        ("$bytes", claim.InputBytes),
        ("$mtime", claim.InputLastWriteUtc is { } mtime ? LedgerText.Time(mtime) : ""),
        ("$calIds", LedgerText.Ids(claim.CalibrationScanIds)),
        ("$calSha", LedgerText.Checksums(claim.CalibrationSha256)),
        ("$run", runId),
        ("$now", LedgerText.Time(now)),
    ];
}

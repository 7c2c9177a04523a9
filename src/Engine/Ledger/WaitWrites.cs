using Microsoft.Data.Sqlite;

namespace Scanflow.Engine.Ledger;

/// <summary>A science scan's wait for its calibration scan: the row becomes WAITING, and FAILED Permanent when the wait times out.</summary>
internal sealed class WaitWrites(SqliteTransaction transaction, string runId, DateTimeOffset now)
{
    /// <summary>See <see cref="LedgerWriter.Waiting"/>: false, and no change, for a SUCCEEDED or RUNNING row.</summary>
    public bool Waiting(ScanRow? row, LedgerScan scan, string reason)
    {
        (string, object?)[] parameters =
        [
            .. SqlParameters.Of(scan),
            ("$run", runId),
            ("$reason", reason),
            ("$now", LedgerText.Time(now)),
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
    }

    /// <summary>See <see cref="LedgerWriter.WaitExpired"/>: false, and no change, unless the row is WAITING.</summary>
    public bool Expired(ScanRow? row, string reason)
    {
        if (row is not { Status: ScanStatus.Waiting })
        {
            return false;
        }

        var attempt = row.Attempts + 1;
        (string, object?)[] parameters =
        [
            ("$row", row.RowId),
            ("$attempt", attempt),
            ("$run", runId),
            ("$reason", reason),
            ("$now", LedgerText.Time(now)),
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
    }
}

using Microsoft.Data.Sqlite;

namespace Scanflow.Engine.Ledger;

/// <summary>What the ledger does with the RUNNING rows of a run that died: their attempts end FAILED Transient "interrupted".</summary>
internal sealed class DeadRunWrites(SqliteTransaction transaction, DateTimeOffset now)
{
    // A row whose current attempt was handed to SLURM: its job may still run, or have finished, without the coordinator.
    private const string NotOnSlurm =
        "NOT EXISTS (SELECT 1 FROM attempts a WHERE a.row_id = scans.row_id AND a.attempt = scans.attempts AND a.slurm_submission IS NOT NULL)";

    /// <summary>
    /// The RUNNING rows of every other run that <paramref name="isAlive"/> says is dead become PENDING; returns them, in
    /// row order per run.
    /// </summary>
    public List<RecoveredScan> Recover(string selfRunId, Func<string, bool> isAlive)
    {
        var running = LedgerText.Status(ScanStatus.Running);
        var owners = new List<string>();
        using (var command = SqlParameters.Command(
            transaction,
            "SELECT DISTINCT run_id FROM scans WHERE status = $running AND run_id IS NOT NULL AND run_id <> $self;",
            ("$running", running),
            ("$self", selfRunId)))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                owners.Add(reader.GetString(0));
            }
        }

        var recovered = new List<RecoveredScan>();
        foreach (var owner in owners.Where(owner => !isAlive(owner)))
        {
            using (var command = SqlParameters.Command(
                transaction,
                $"SELECT row_id, scan_id, band, l1_path FROM scans WHERE status = $running AND run_id = $run AND {NotOnSlurm} ORDER BY row_id;",
                ("$running", running),
                ("$run", owner)))
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    recovered.Add(new RecoveredScan(reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3)));
                }
            }

            MarkInterrupted(owner, rowId: null, ScanStatus.Pending, keepSlurm: true);
        }

        return recovered;
    }

    /// <summary>The RUNNING rows of a dead run (or one of them): attempt FAILED Transient "interrupted", row to <paramref name="rowStatus"/>.</summary>
    /// <param name="deadRunId">The run that died.</param>
    /// <param name="rowId">Only this row; null for all of the run's rows.</param>
    /// <param name="rowStatus">What the rows become.</param>
    /// <param name="keepSlurm">Leaves the rows whose attempt runs on SLURM: a claim re-attaches to their job.</param>
    public void MarkInterrupted(string deadRunId, long? rowId, ScanStatus rowStatus, bool keepSlurm = false)
    {
        var slurm = keepSlurm ? NotOnSlurm : "1";
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
            $"""
            UPDATE attempts SET status = $failed, failure_kind = $transient, error = $error, finished_utc = $now
            FROM (SELECT row_id, attempts FROM scans WHERE status = $running AND run_id = $run AND ($one IS NULL OR row_id = $one) AND {slurm}) AS s
            WHERE attempts.row_id = s.row_id AND attempts.attempt = s.attempts;
            """,
            parameters);
        SqlParameters.Execute(
            transaction,
            $"""
            UPDATE scans SET status = $status, error = $error, failure_kind = $transient, finished_utc = $now, updated_utc = $now
            WHERE status = $running AND run_id = $run AND ($one IS NULL OR row_id = $one) AND {slurm};
            """,
            parameters);
    }
}

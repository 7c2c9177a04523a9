using Microsoft.Data.Sqlite;

namespace Scanflow.Engine.Ledger;

/// <summary>The plots a successful attempt owes (<c>pending_plots</c>, schema v6): owed when its L1 file is recorded,
/// taken over from a run that died, recorded once drawn. Paths are in their stored form.</summary>
internal sealed class PlotWrites(SqliteTransaction transaction, string runId, DateTimeOffset now)
{
    /// <summary>The attempt owes the plots drawn from <paramref name="dataPath"/>; this run will draw them.</summary>
    public PendingPlots Owe(long rowId, int attempt, string dataPath)
    {
        SqlParameters.Execute(
            transaction,
            """
            INSERT INTO pending_plots (row_id, attempt, run_id, data_path, recorded_utc) VALUES ($row, $attempt, $run, $path, $now)
            ON CONFLICT (row_id, attempt) DO UPDATE SET run_id = $run, data_path = $path, recorded_utc = $now;
            """,
            ("$row", rowId),
            ("$attempt", attempt),
            ("$run", runId),
            ("$path", dataPath),
            ("$now", LedgerText.Time(now)));
        return Pending(rowId).Single(p => p.Attempt == attempt);
    }

    /// <summary>The owed plots of every other run that <paramref name="isAlive"/> says is dead become this run's;
    /// returns them in row order.</summary>
    public List<PendingPlots> TakeOver(Func<string, bool> isAlive)
    {
        var owners = new List<string>();
        using (var command = SqlParameters.Command(transaction, "SELECT DISTINCT run_id FROM pending_plots WHERE run_id <> $self;", ("$self", runId)))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                owners.Add(reader.GetString(0));
            }
        }

        var taken = new List<PendingPlots>();
        foreach (var owner in owners.Where(owner => !isAlive(owner)))
        {
            taken.AddRange(Pending(owner: owner));
            SqlParameters.Execute(transaction, "UPDATE pending_plots SET run_id = $self WHERE run_id = $dead;", ("$self", runId), ("$dead", owner));
        }

        return taken;
    }

    /// <summary>The attempt's plots are drawn: its owed row goes and <paramref name="plots"/> become its products, when
    /// this run still owes them and the attempt is still the scan's current product. False when not (another run took
    /// them over, or a later attempt superseded the product): nothing is recorded.</summary>
    public bool Drawn(long rowId, int attempt, IReadOnlyList<ProductFile> plots)
    {
        var owed = SqlParameters.Execute(
            transaction,
            "DELETE FROM pending_plots WHERE row_id = $row AND attempt = $attempt AND run_id = $self;",
            ("$row", rowId),
            ("$attempt", attempt),
            ("$self", runId)) == 1;
        // The same test as for the products the reader calls current, with the attempt in place of a products row.
        using var current = SqlParameters.Command(
            transaction,
            $"SELECT count(*) FROM scans s, (SELECT $attempt AS attempt) p WHERE s.row_id = $row AND {LedgerRows.CurrentProductCondition};",
            ("$row", rowId),
            ("$attempt", attempt));
        if (!owed || Convert.ToInt64(current.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) != 1)
        {
            return false;
        }

        new FinishWrites(transaction, runId, now).InsertProducts(rowId, attempt, plots);
        return true;
    }

    /// <summary>The owed plots of one row, or of one run, in row order.</summary>
    private List<PendingPlots> Pending(long? rowId = null, string? owner = null)
    {
        using var command = SqlParameters.Command(
            transaction,
            """
            SELECT p.row_id, p.attempt, s.scan_id, s.band, p.data_path FROM pending_plots p JOIN scans s ON s.row_id = p.row_id
            WHERE ($row IS NULL OR p.row_id = $row) AND ($owner IS NULL OR p.run_id = $owner) ORDER BY p.row_id, p.attempt;
            """,
            ("$row", rowId),
            ("$owner", owner));
        using var reader = command.ExecuteReader();
        var pending = new List<PendingPlots>();
        while (reader.Read())
        {
            pending.Add(new PendingPlots(reader.GetInt64(0), reader.GetInt32(1), reader.GetInt64(2), reader.GetString(3), reader.GetString(4)));
        }

        return pending;
    }
}

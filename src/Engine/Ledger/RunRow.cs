using Microsoft.Data.Sqlite;

namespace Scanflow.Engine.Ledger;

/// <summary>A row of <c>runs</c>, and the rule for whether that run is still alive.</summary>
internal sealed record RunRow(string RunId, string Host, int Pid, DateTimeOffset ProcessStartUtc, DateTimeOffset HeartbeatUtc, DateTimeOffset? FinishedUtc)
{
    public static RunRow? Find(SqliteTransaction transaction, string runId)
    {
        using var command = SqlParameters.Command(
            transaction,
            "SELECT run_id, host, pid, process_start_utc, heartbeat_utc, finished_utc FROM runs WHERE run_id = $run;",
            ("$run", runId));
        using var reader = command.ExecuteReader();
        return reader.Read()
            ? new RunRow(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetInt32(2),
                LedgerText.ParseTime(reader.GetString(3)),
                LedgerText.ParseTime(reader.GetString(4)),
                reader.IsDBNull(5) ? null : LedgerText.ParseTime(reader.GetString(5)))
            : null;
    }

    /// <summary>
    /// Finished runs are dead. On this host a run lives while its pid runs with the same start time; on
    /// another host (we cannot see its processes) while its heartbeat is fresher than <paramref name="heartbeatTimeout"/>.
    /// </summary>
    public bool IsAlive(string thisHost, DateTimeOffset now, TimeSpan heartbeatTimeout)
    {
        if (FinishedUtc is not null)
        {
            return false;
        }

        return string.Equals(Host, thisHost, StringComparison.OrdinalIgnoreCase)
            ? RunIdentity.IsProcessAlive(Pid, ProcessStartUtc)
            : now - HeartbeatUtc <= heartbeatTimeout;
    }

    public string Describe() => $"run {RunId} (host {Host}, pid {Pid}, last heartbeat {LedgerText.Time(HeartbeatUtc)})";
}

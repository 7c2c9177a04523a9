using Microsoft.Data.Sqlite;

namespace Scanflow.Engine.Ledger;

/// <summary>
/// Opens the ledger file. Unpooled, so closing a connection closes the file (a writer that is disposed
/// really lets go, and tests can delete their folder).
/// </summary>
internal static class LedgerConnection
{
    public const int BusyTimeoutSeconds = 30;

    public static SqliteConnection OpenWriter(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        var connection = new SqliteConnection(ConnectionString(path, SqliteOpenMode.ReadWriteCreate));
        connection.Open();
        // journal_mode is stored in the file; synchronous and busy_timeout belong to this connection.
        Pragma(connection, "PRAGMA journal_mode = WAL;");
        Pragma(connection, "PRAGMA synchronous = FULL;");
        Pragma(connection, $"PRAGMA busy_timeout = {BusyTimeoutSeconds * 1000};");
        Pragma(connection, "PRAGMA foreign_keys = ON;");
        return connection;
    }

    public static SqliteConnection OpenReader(string path)
    {
        var connection = new SqliteConnection(ConnectionString(path, SqliteOpenMode.ReadOnly));
        connection.Open();
        Pragma(connection, $"PRAGMA busy_timeout = {BusyTimeoutSeconds * 1000};");
        return connection;
    }

    private static string ConnectionString(string path, SqliteOpenMode mode) => new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = mode,
        Pooling = false,
        DefaultTimeout = BusyTimeoutSeconds,
    }.ToString();

    private static void Pragma(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}

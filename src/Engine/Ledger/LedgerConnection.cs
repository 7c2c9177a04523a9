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

        CreateUnlessPresent(path);
        var connection = new SqliteConnection(ConnectionString(path, SqliteOpenMode.ReadWriteCreate));
        connection.Open();
        // journal_mode is stored in the file; synchronous and busy_timeout belong to this connection.
        Pragma(connection, "PRAGMA journal_mode = WAL;");
        Pragma(connection, "PRAGMA synchronous = FULL;");
        Pragma(connection, $"PRAGMA busy_timeout = {BusyTimeoutSeconds * 1000};");
        Pragma(connection, "PRAGMA foreign_keys = ON;");
        return connection;
    }

    /// <summary>A new ledger is created empty (SQLite takes an empty file for a new database) with no access for
    /// other users, whatever the umask: it names every product, path and error. The owner and the group get what the
    /// umask leaves them; SQLite gives its <c>-wal</c> and <c>-shm</c> files the same mode.</summary>
    private static void CreateUnlessPresent(string path)
    {
        if (OperatingSystem.IsWindows() || File.Exists(path))
        {
            return;
        }

        try
        {
            using var created = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite,
            });
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process created it first.
        }
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

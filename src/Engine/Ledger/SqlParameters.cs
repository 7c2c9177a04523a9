using Microsoft.Data.Sqlite;
using Scanflow.Engine.Model;

namespace Scanflow.Engine.Ledger;

/// <summary>Builds parameterised commands; <c>null</c> becomes SQL NULL.</summary>
internal static class SqlParameters
{
    public static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    /// <summary>A command in <paramref name="transaction"/>, on its connection.</summary>
    public static SqliteCommand Command(SqliteTransaction transaction, string sql, params (string Name, object? Value)[] parameters) =>
        Command(ConnectionOf(transaction), transaction, sql, parameters);

    public static int Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, transaction, sql, parameters);
        return command.ExecuteNonQuery();
    }

    /// <summary>Runs a statement in <paramref name="transaction"/>, on its connection; returns the rows changed.</summary>
    public static int Execute(SqliteTransaction transaction, string sql, params (string Name, object? Value)[] parameters) =>
        Execute(ConnectionOf(transaction), transaction, sql, parameters);

    /// <summary>A scan's row identity as stored: <c>$scan $band $source $mode $mjd $input $config $engine $l1</c>,
    /// with band and mode as the file formats spell them.</summary>
    public static (string Name, object? Value)[] Of(LedgerScan scan) =>
    [
        ("$scan", scan.ScanId),
        ("$band", ModelNames.Of(scan.Band)),
        ("$source", scan.Source),
        ("$mode", ModelNames.Of(scan.ObsMode)),
        ("$mjd", scan.StartMjd),
        ("$input", scan.InputPath),
        ("$config", scan.ConfigSha256),
        ("$engine", scan.EngineVersion),
        ("$l1", scan.L1Path),
    ];

    private static SqliteConnection ConnectionOf(SqliteTransaction transaction) =>
        transaction.Connection ?? throw new InvalidOperationException("the ledger transaction has already ended");
}

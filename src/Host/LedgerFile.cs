using System.Data.Common;
using Microsoft.Data.Sqlite;
using Scanflow.Engine.Ledger;

namespace Scanflow.Host;

/// <summary>Opening the ledger for a run, and the one sentence for a ledger that cannot be opened or written: it names
/// the file and says what to do (a damaged ledger: restore a backup or move it aside, and a new one adopts the products
/// already in place).</summary>
internal static class LedgerFile
{
    // SQLite's primary result codes (sqlite3.h) the sentences tell apart.
    private const int Busy = 5;
    private const int Locked = 6;
    private const int ReadOnly = 8;
    private const int Corrupt = 11;
    private const int Full = 13;
    private const int CannotOpen = 14;
    private const int NotADatabase = 26;

    /// <summary>Opens (creating if needed) the ledger at <paramref name="path"/>; a failure is a <see cref="UserErrorException"/>
    /// whose message is <see cref="Problem"/>.</summary>
    public static LedgerWriter OpenWriter(string path, LedgerOptions options, TimeProvider time)
    {
        try
        {
            return LedgerWriter.Open(path, options, time);
        }
        catch (Exception e) when (IsLedgerFailure(e))
        {
            throw new UserErrorException(Problem(path, e), e);
        }
    }

    /// <summary>Whether <paramref name="error"/> is the ledger's file or database failing, which <see cref="Problem"/> can word.</summary>
    public static bool IsLedgerFailure(Exception error) =>
        error is DbException or IOException or UnauthorizedAccessException or InvalidOperationException;

    /// <summary>Whether <paramref name="error"/> says the ledger file is not an intact SQLite database.</summary>
    public static bool IsDamaged(Exception error) => error is SqliteException { SqliteErrorCode: Corrupt or NotADatabase };

    /// <summary>One sentence: what is wrong with the ledger at <paramref name="path"/> and what to do.</summary>
    public static string Problem(string path, Exception error)
    {
        var why = error.Message.TrimEnd('.');
        return (error as SqliteException)?.SqliteErrorCode switch
        {
            Corrupt or NotADatabase =>
                $"the ledger {path} is damaged ({why}); restore it from a backup, or move it and its -wal and -shm files aside and run again: a new ledger adopts the products already in place (docs/operations.md, Backing up the ledger)",
            Busy or Locked =>
                $"the ledger {path} is locked by another process ({why}); stop the other scanflow or sqlite3 that holds it, or give this run its own --ledger",
            ReadOnly or CannotOpen =>
                $"cannot write the ledger {path} ({why}); give --ledger a file in a directory scanflow may write to",
            Full =>
                $"cannot write the ledger {path}: its disk is full ({why}); free space there or move the ledger with --ledger",
            _ when error is InvalidOperationException => error.Message, // the engine's own sentence: not a ledger, or a schema too old or new
            _ when error is DbException =>
                $"the ledger {path} failed ({why}); if it is damaged, restore it from a backup or move it aside (docs/operations.md, Backing up the ledger)",
            _ =>
                $"cannot open the ledger {path} ({why}); give --ledger a file in a directory scanflow may write to",
        };
    }
}

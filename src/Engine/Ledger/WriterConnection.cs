using Microsoft.Data.Sqlite;

namespace Scanflow.Engine.Ledger;

/// <summary>
/// The ledger writer's one connection, used by one caller at a time. Every change runs in one <c>BEGIN IMMEDIATE</c>
/// transaction, so a second process on the same file waits for the write lock instead of deciding on stale rows;
/// nothing runs once the connection is closed. It holds the ledger's reserve of space (<see cref="LedgerReserve"/>).
/// </summary>
internal sealed class WriterConnection
{
    private readonly Lock _lock = new();
    private readonly SqliteConnection _connection;
    private readonly Type _owner;
    private readonly LedgerReserve? _reserve;
    private bool _closed;

    /// <param name="connection">An open connection; this object owns it from now on.</param>
    /// <param name="owner">The type named by <see cref="ObjectDisposedException"/> after close.</param>
    /// <param name="reserve">The ledger's reserve of space; null for none.</param>
    public WriterConnection(SqliteConnection connection, Type owner, LedgerReserve? reserve = null)
    {
        _connection = connection;
        _owner = owner;
        _reserve = reserve;
    }

    /// <summary>True: a change that finds the disk full gives up the reserve and is tried once more.</summary>
    public bool SpendReserveWhenFull { get; set; }

    /// <summary>Runs <paramref name="change"/> in one <c>BEGIN IMMEDIATE</c> transaction and commits it unless it throws.</summary>
    public T Write<T>(Func<SqliteTransaction, T> change)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_closed, _owner);
            try
            {
                return Commit(change);
            }
            catch (SqliteException e) when (SpendReserveWhenFull && LedgerReserve.IsFull(e) && _reserve?.Release() == true)
            {
                return Commit(change);
            }
        }
    }

    private T Commit<T>(Func<SqliteTransaction, T> change)
    {
        using var transaction = _connection.BeginTransaction(deferred: false);
        var result = change(transaction);
        transaction.Commit();
        return result;
    }

    /// <summary>Makes the reserve again, if it was given up (space has returned); under the lock, between changes.</summary>
    public void RestoreReserve()
    {
        lock (_lock)
        {
            _reserve?.Make();
        }
    }

    /// <summary>Gives the reserve's space back to the disk for the ledger's next changes; false when there was none.</summary>
    public bool ReleaseReserve()
    {
        lock (_lock)
        {
            return _reserve?.Release() == true;
        }
    }

    /// <summary>Runs <paramref name="change"/> in one <c>BEGIN IMMEDIATE</c> transaction and commits it unless it throws.</summary>
    public void Write(Action<SqliteTransaction> change) => Write(transaction =>
    {
        change(transaction);
        return true;
    });

    /// <summary>Runs a query outside any transaction (one statement reads one snapshot).</summary>
    public T Read<T>(Func<SqliteConnection, T> query)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_closed, _owner);
            return query(_connection);
        }
    }

    /// <summary>
    /// Makes <paramref name="last"/> the last change, then closes the connection; a second call does nothing. A ledger
    /// that cannot be written must not hide the error that is ending the run, so a SQLite error in the last change is dropped.
    /// </summary>
    public void Close(Action<SqliteTransaction> last)
    {
        lock (_lock)
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
            try
            {
                using var transaction = _connection.BeginTransaction(deferred: false);
                last(transaction);
                transaction.Commit();
            }
            catch (SqliteException)
            {
                // The run then looks dead, which is safe.
            }
            finally
            {
                _connection.Dispose();
            }
        }
    }

    /// <summary>Closes the connection without a last change, as <c>kill -9</c> would; for tests.</summary>
    public void Abandon()
    {
        lock (_lock)
        {
            _closed = true;
            _connection.Dispose();
        }
    }
}

using Microsoft.Data.Sqlite;

namespace Scanflow.Engine.Ledger;

/// <summary>
/// Space set aside beside the ledger, on the disk it usually shares with the products: a file of zeros that a ledger
/// write finding the disk full gives up and then tries again, so a run's outcomes are still recorded (a run fills the
/// disk with products before it records them). Made when the ledger is opened, and again when space has returned.
/// </summary>
internal sealed class LedgerReserve(string ledgerPath)
{
    /// <summary>Room for the records of many scans in flight: a ledger write appends a few 4 KiB pages to the WAL.</summary>
    public const int Bytes = 4 << 20;

    private const int SqliteFull = 13; // SQLITE_FULL: a write found no space
    private const int SqliteShmSize = 4874; // SQLITE_IOERR_SHMSIZE: the -shm file could not grow (opening on a full disk)
    private const int BlockBytes = 64 << 10;

    /// <summary>The reserve file: the ledger's name with <c>-reserve</c>, beside its <c>-wal</c> and <c>-shm</c>.</summary>
    public string Path { get; } = ledgerPath + "-reserve";

    /// <summary>Writes the reserve unless it is there already; when the disk has no room for it, leaves none (best effort).</summary>
    public void Make()
    {
        try
        {
            if (new FileInfo(Path) is { Exists: true, Length: >= Bytes })
            {
                return;
            }

            // Zeros written, not a sparse length: the blocks must really be taken now to be there to give back later.
            using var stream = new FileStream(Path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
            var zeros = new byte[BlockBytes];
            for (var written = 0; written < Bytes; written += BlockBytes)
            {
                stream.Write(zeros);
            }

            stream.Flush(flushToDisk: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Release();
        }
    }

    /// <summary>Gives the reserve's space back to the disk; false when there was none to give.</summary>
    public bool Release()
    {
        try
        {
            if (!File.Exists(Path))
            {
                return false;
            }

            File.Delete(Path);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>True when SQLite found no space: SQLITE_FULL, or the shared-memory file that could not grow.</summary>
    public static bool IsFull(Exception error) =>
        error is SqliteException { SqliteErrorCode: SqliteFull } or SqliteException { SqliteExtendedErrorCode: SqliteShmSize };
}

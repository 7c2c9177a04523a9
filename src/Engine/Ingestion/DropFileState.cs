namespace Scanflow.Engine.Ingestion;

/// <summary>One file the <see cref="DropTracker"/> knows: its last snapshot, since when it has looked like that, and
/// whether that look has been emitted.</summary>
internal sealed class DropFileState(FileSnapshot snapshot, DateTimeOffset unchangedSince)
{
    public FileSnapshot Snapshot { get; private set; } = snapshot;

    public DateTimeOffset UnchangedSince { get; private set; } = unchangedSince;

    /// <summary>The current snapshot has been emitted (ready or rejected).</summary>
    public bool Emitted { get; set; }

    /// <summary>Records a new look; returns whether it differs from the last one (which restarts the settle clock).</summary>
    public bool Update(FileSnapshot snapshot, DateTimeOffset now)
    {
        if (snapshot == Snapshot)
        {
            return false;
        }

        Snapshot = snapshot;
        UnchangedSince = now;
        Emitted = false;
        return true;
    }
}

using Scanflow.Engine.Formats;
using Scanflow.Engine.Model;

namespace Scanflow.Engine.Ingestion;

/// <summary>
/// Decides when a file in the drop directory is complete: a <c>*.h5</c>/<c>*.hdf5</c> name (not <c>.part</c>/<c>.tmp</c>),
/// size and last write time unchanged for the settle time, and opening as a raw scan. Driven by calls (watcher events,
/// rescans) and a <see cref="TimeProvider"/>; no threads, no watcher. Each (path, size, mtime) is emitted at most once.
/// </summary>
internal sealed class DropTracker
{
    private readonly string _dropDirectory;
    private readonly TimeSpan _settleTime;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, DropFileState> _files = new(StringComparer.Ordinal);

    public DropTracker(string dropDirectory, TimeSpan settleTime, TimeProvider time)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dropDirectory);
        ArgumentOutOfRangeException.ThrowIfLessThan(settleTime, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(time);
        _dropDirectory = Path.TrimEndingDirectorySeparator(Path.GetFullPath(dropDirectory));
        _settleTime = settleTime;
        _time = time;
    }

    /// <summary>Files known in the drop directory, emitted or not: what the tracker holds in memory.</summary>
    public int Known => _files.Count;

    /// <summary>Files being watched for settling and not yet emitted (the backlog).</summary>
    public int Tracked => _files.Values.Count(f => !f.Emitted);

    /// <summary>A watcher event or a rescan hit for <paramref name="path"/>. Directories, temporary names and anything
    /// that is not <c>*.h5</c>/<c>*.hdf5</c> are ignored silently; a change restarts the file's settle clock.</summary>
    public void Observe(string path) => ObserveAt(path, _time.GetUtcNow());

    private void ObserveAt(string path, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        if (!IsCandidateName(full) || Directory.Exists(full))
        {
            return;
        }

        var snapshot = FileSnapshot.Take(full);
        if (snapshot is null)
        {
            _files.Remove(full);
            return;
        }

        if (!_files.TryGetValue(full, out var state))
        {
            _files[full] = new DropFileState(snapshot.Value, now);
        }
        else
        {
            state.Update(snapshot.Value, now);
        }
    }

    /// <summary>A full listing of the drop directory: each file is observed, and known files missing from it are
    /// forgotten (a deletion the watcher did not report). The files of one listing are seen at one instant, so those
    /// new in it settle together: a start on a full drop directory takes them as one batch.</summary>
    public void Rescan(IEnumerable<string> paths)
    {
        var now = _time.GetUtcNow();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            ObserveAt(path, now);
            seen.Add(Path.GetFullPath(path));
        }

        foreach (var path in _files.Keys.Where(p => !seen.Contains(p)).ToList())
        {
            _files.Remove(path);
        }
    }

    /// <summary>Makes an emitted file, unchanged since, count as settled again (its scan was requeued): the next
    /// <see cref="TakeSettled"/> evaluates it once more. False when the file is unknown or not emitted.</summary>
    public bool Reconsider(string path)
    {
        if (!_files.TryGetValue(Path.GetFullPath(path), out var state) || !state.Emitted)
        {
            return false;
        }

        state.Emitted = false;
        return true;
    }

    /// <summary>Re-stats the files not yet emitted and evaluates those unchanged for the settle time; files that
    /// disappeared are forgotten. Emitted files are not stat'ed here, so the cost of a tick follows the backlog, not
    /// the size of the drop directory: a later change to one arrives through <see cref="Observe"/> or
    /// <see cref="Rescan"/>. Never throws for a bad file: it becomes a rejection. Calibration scans come first, then the
    /// rest in the order they settled (by name when together).</summary>
    public IReadOnlyList<IngestedFile> TakeSettled()
    {
        var now = _time.GetUtcNow();
        var settled = new List<(string Path, DateTimeOffset Since)>();
        foreach (var (path, state) in _files.Where(f => !f.Value.Emitted).ToList())
        {
            var snapshot = FileSnapshot.Take(path);
            if (snapshot is null)
            {
                _files.Remove(path);
                continue;
            }

            if (state.Update(snapshot.Value, now))
            {
                continue;
            }

            if (now - state.UnchangedSince >= _settleTime)
            {
                settled.Add((path, state.UnchangedSince));
            }
        }

        var taken = new List<IngestedFile>(settled.Count);
        foreach (var (path, _) in settled.OrderBy(s => s.Since).ThenBy(s => s.Path, StringComparer.Ordinal))
        {
            _files[path].Emitted = true;
            taken.Add(Evaluate(path));
        }

        // The calibration scans of a batch come first: a science scan that settles together with its calibration (all of
        // them, when the service starts on a full drop directory) pairs at once instead of WAITING for it. Stable: the
        // rest keep their order.
        return [.. taken.OrderBy(t => t.Header?.Kind == ScanKind.Calibration ? 0 : 1)];
    }

    private static bool IsCandidateName(string path)
    {
        var name = Path.GetFileName(path);
        return name.EndsWith(".h5", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".hdf5", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Reads the header of a settled file. A rejection is not final: a later write (new size or mtime) is
    /// evaluated again, which gives a writer that paused longer than the settle time, or a repaired file, another chance.
    /// A FIFO, socket or device is never opened (<see cref="RawScanFile.Open"/> checks): it is rejected with the reason.</summary>
    private IngestedFile Evaluate(string path)
    {
        if (LinkOutsideDrop(path) is { } linkReason)
        {
            return new IngestedFile(path, null, linkReason);
        }

        try
        {
            return new IngestedFile(path, RawScanFile.ReadHeader(path), null);
        }
        catch (ScanFormatException e)
        {
            return new IngestedFile(path, null, e.Reason, e.InnerException);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new IngestedFile(path, null, $"cannot be read: {e.Message}", e);
        }
    }

    /// <summary>Why a symbolic link is not followed, or null when <paramref name="path"/> is no link or ends inside the
    /// drop directory at an existing file. The reason does not repeat the path: the rejection line names it.</summary>
    private string? LinkOutsideDrop(string path)
    {
        FileSystemInfo? target;
        try
        {
            if (new FileInfo(path).LinkTarget is null)
            {
                return null;
            }

            target = File.ResolveLinkTarget(path, returnFinalTarget: true);
        }
        catch (IOException e)
        {
            // A loop of links, or one the service may not read.
            return $"symbolic link that cannot be resolved ({e.Message}); not followed";
        }

        var resolved = target?.FullName ?? Path.GetFullPath(new FileInfo(path).LinkTarget ?? path, _dropDirectory);
        if (target is null || !target.Exists)
        {
            return $"symbolic link to {resolved}, which does not exist; not followed";
        }

        return IsInside(resolved, _dropDirectory) || IsInside(resolved, RealDropDirectory())
            ? null
            : $"symbolic link to {resolved}, outside the drop directory {_dropDirectory}; not followed";
    }

    /// <summary>The drop directory with its own links resolved, so a link into it through another name still counts.</summary>
    private string RealDropDirectory()
    {
        try
        {
            return Directory.ResolveLinkTarget(_dropDirectory, returnFinalTarget: true)?.FullName ?? _dropDirectory;
        }
        catch (IOException)
        {
            return _dropDirectory;
        }
    }

    private static bool IsInside(string path, string directory) =>
        path.StartsWith(Path.TrimEndingDirectorySeparator(directory) + Path.DirectorySeparatorChar, StringComparison.Ordinal);
}

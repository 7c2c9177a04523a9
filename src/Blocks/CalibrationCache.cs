using Scanflow.Engine.Processing;

namespace Scanflow.Blocks;

/// <summary>Each calibration scan is read, solved and fitted once, however many science scans use it; a failure is
/// cached too, so every science scan of a bad calibration fails with the same reason without re-reading it. Only the most
/// recently used calibrations are kept: at most <see cref="Capacity"/>, and fewer when together they would hold more than
/// <paramref name="budgetBytes"/> (at CHAI's full shape a calibration holds over 100 MiB), but never fewer than
/// <see cref="Minimum"/>. A service runs for months while science scans arrive after their own, recent, calibration; an
/// evicted one that is asked for again is simply read again.</summary>
internal sealed class CalibrationCache(CalibrationOptions options, long budgetBytes = long.MaxValue)
{
    public const int Capacity = 8;

    /// <summary>Kept whatever their size: the calibration in use and the one before it.</summary>
    public const int Minimum = 2;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, CachedCalibration> _entries = new(StringComparer.Ordinal);
    private long _uses;

    /// <summary>Calibrations held now (at most <see cref="Capacity"/>).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>Load stage: the loads averaged over their dumps, and the file's checksum (<paramref name="sha256"/>
    /// when the caller already has it). Once its size is known, older calibrations beyond the budget go.</summary>
    public void Read(string path, string? sha256 = null)
    {
        var entry = Entry(path, sha256);
        entry.Read();
        lock (_gate)
        {
            while (_entries.Count > Minimum && _entries.Values.Sum(e => e.Bytes) > budgetBytes)
            {
                _entries.Remove(_entries.Where(e => e.Value != entry).MinBy(e => e.Value.LastUsed).Key);
            }
        }
    }

    /// <summary>Calibrate stage: T_rx, G, T_sky_meas and flags (§1.2–1.3).</summary>
    public LoadSolution Loads(string path) => Entry(path).Loads.Value;

    /// <summary>Atmosphere stage: the PWV fit of the solved loads (§2.5).</summary>
    public CalibrationProducts Products(string path) => Entry(path).Products.Value;

    private CachedCalibration Entry(string path, string? sha256 = null)
    {
        lock (_gate)
        {
            if (!_entries.TryGetValue(path, out var entry))
            {
                if (_entries.Count >= Capacity)
                {
                    _entries.Remove(_entries.MinBy(e => e.Value.LastUsed).Key);
                }

                entry = new CachedCalibration(path, sha256, options);
                _entries.Add(path, entry);
            }

            entry.LastUsed = ++_uses;
            return entry;
        }
    }
}

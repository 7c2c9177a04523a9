using System.Globalization;
using Scanflow.Engine.Formats;
using Scanflow.Engine.Model;
using Scanflow.Engine.Planning;
using Scanflow.Engine.Processing;

namespace Scanflow.Engine.Ingestion;

/// <summary>Science scans in state WAITING for a calibration scan of their setup (band, LO, sideband): paired through
/// <see cref="CalibrationPairing.Choose"/> when one lands, failed when none lands within the wait timeout. With linear
/// gain interpolation (calibration.md §7.10) a scan paired with a calibration that started before it also waits for the
/// later one, C₂ (<see cref="CalibrationPairing.WithLater"/>), until the maximum calibration age after its last ON dump
/// (<see cref="LaterDeadline"/>); then <see cref="ReleaseDue"/> lets it go with C₁ alone. A service runs for months, so
/// a calibration is forgotten <see cref="Retention"/> after it landed (whenever it was observed: an older night dropped
/// after a newer one pairs as well).</summary>
internal sealed class CalibrationWaitList
{
    /// <summary>How long after it landed a calibration is kept for pairing: a science scan that lands later than that
    /// after its calibration is calibrated with <c>scanflow calibrate</c>, not by the service.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(7);

    private readonly TimeSpan _maxCalibrationAge;
    private readonly TimeSpan _waitTimeout;
    private readonly TimeProvider _time;
    private readonly PlanningOptions _planning;
    private readonly List<RawScanHeader> _calibrations = [];
    private readonly Dictionary<RawScanHeader, DateTimeOffset> _landed = [];
    private readonly List<WaitingScience> _waiting = [];
    private const double UnixEpochMjd = 40587.0;
    private bool _calibrationAddedSinceRelease;

    public CalibrationWaitList(TimeSpan maxCalibrationAge, TimeSpan waitTimeout, TimeProvider time, GainInterpolation gainInterpolation = GainInterpolation.None)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCalibrationAge, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(waitTimeout, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(time);
        _maxCalibrationAge = maxCalibrationAge;
        _waitTimeout = waitTimeout;
        _time = time;
        _planning = new PlanningOptions { MaxCalibrationAge = maxCalibrationAge, GainInterpolation = gainInterpolation };
    }

    /// <summary>Until when <paramref name="science"/> waits for its later calibration C₂ with linear gain interpolation:
    /// the maximum calibration age after its last ON dump (MJD, UTC). <see cref="DateTimeOffset.MinValue"/> when the
    /// header does not know its last ON dump.</summary>
    public DateTimeOffset LaterDeadline(RawScanHeader science)
    {
        ArgumentNullException.ThrowIfNull(science);
        return double.IsFinite(science.LastOnMjd)
            ? DateTimeOffset.UnixEpoch.AddMilliseconds(Math.Round((science.LastOnMjd - UnixEpochMjd) * 86_400_000.0)) + _maxCalibrationAge
            : DateTimeOffset.MinValue;
    }

    /// <summary>Whether <paramref name="science"/> is WAITING with its calibration C₁ known, for the later one C₂.</summary>
    public bool WaitsForLater(RawScanHeader science)
    {
        ArgumentNullException.ThrowIfNull(science);
        return _waiting.Any(w => w.Science == science) && Plan(science, out _) is { Later: true };
    }

    public int Waiting => _waiting.Count;

    public IReadOnlyList<RawScanHeader> WaitingScans => [.. _waiting.Select(w => w.Science)];

    /// <summary>Makes a calibration scan known to later pairings and to <see cref="Release()"/>.</summary>
    public void AddCalibration(RawScanHeader calibration)
    {
        ArgumentNullException.ThrowIfNull(calibration);
        if (calibration.Kind != ScanKind.Calibration)
        {
            throw new ArgumentException($"{calibration.Describe()} is not a calibration scan", nameof(calibration));
        }

        var now = _time.GetUtcNow();
        if (_landed.TryAdd(calibration, now))
        {
            _calibrations.Add(calibration);
            _calibrationAddedSinceRelease = true;
        }

        // By when it landed, not by when it was observed: a night dropped after a newer one must find its calibrations.
        foreach (var forgotten in _calibrations.Where(c => now - _landed[c] > Retention).ToList())
        {
            _calibrations.Remove(forgotten);
            _landed.Remove(forgotten);
        }
    }

    /// <summary>Calibrations known for pairing (those that landed within <see cref="Retention"/>).</summary>
    public int Calibrations => _calibrations.Count;

    /// <summary>Pairs <paramref name="science"/> with a known calibration; null puts it in WAITING (from now, or from
    /// when it first waited) and <paramref name="reason"/> says why.</summary>
    public PlannedScan? Pair(RawScanHeader science, out string? reason)
    {
        ArgumentNullException.ThrowIfNull(science);
        if (science.Kind != ScanKind.Science)
        {
            throw new ArgumentException($"{science.Describe()} is not a science scan", nameof(science));
        }

        var plan = Plan(science, out reason);
        var index = _waiting.FindIndex(w => w.Science == science);
        if (plan.Scan is { } planned)
        {
            if (index >= 0)
            {
                _waiting.RemoveAt(index);
            }

            return planned;
        }

        if (index < 0)
        {
            _waiting.Add(new WaitingScience(science, _time.GetUtcNow(), plan.Later));
        }
        else
        {
            _waiting[index] = _waiting[index] with { ForLater = plan.Later };
        }

        return null;
    }

    /// <summary>How <paramref name="science"/> stands now: planned (with C₂ or the note saying why not, under linear gain
    /// interpolation), or waiting for its calibration (<c>Later</c> false) or, C₁ known, for the later one (true), with
    /// <paramref name="reason"/>.</summary>
    private (PlannedScan? Scan, bool Later) Plan(RawScanHeader science, out string? reason)
    {
        var calibration = CalibrationPairing.Choose(science, _calibrations, _maxCalibrationAge, out reason);
        if (calibration is null)
        {
            return (null, false);
        }

        var planned = CalibrationPairing.WithLater(new PlannedScan(science, calibration), _calibrations, _planning);
        var deadline = LaterDeadline(science);
        if (_planning.GainInterpolation == GainInterpolation.Linear && planned.LaterCalibration is null
            && calibration.StartMjd <= science.StartMjd && _time.GetUtcNow() < deadline)
        {
            reason = string.Create(CultureInfo.InvariantCulture, $"waiting for a later calibration scan for gain interpolation (until {deadline.UtcDateTime:HH:mm} UTC)");
            return (null, true);
        }

        return (planned, false);
    }

    /// <summary>Waiting scans that the calibrations added since the last release can now pair, removed from waiting.</summary>
    public IReadOnlyList<PlannedScan> Release() => Release(out _);

    /// <summary>As <see cref="Release()"/>; <paramref name="nowWaitingForLater"/> are the scans that waited for their
    /// calibration, have it now and go on waiting for the later one (linear gain interpolation), each with the reason.</summary>
    public IReadOnlyList<PlannedScan> Release(out IReadOnlyList<(RawScanHeader Science, string Reason)> nowWaitingForLater)
    {
        nowWaitingForLater = [];
        if (!_calibrationAddedSinceRelease)
        {
            return [];
        }

        _calibrationAddedSinceRelease = false;
        var released = new List<PlannedScan>();
        var later = new List<(RawScanHeader Science, string Reason)>();
        _waiting.RemoveAll(w =>
        {
            var plan = Plan(w.Science, out var reason);
            if (plan.Scan is not { } planned)
            {
                if (plan.Later && !w.ForLater)
                {
                    later.Add((w.Science, reason!));
                }

                return false;
            }

            released.Add(planned);
            return true;
        });
        for (var i = 0; i < _waiting.Count; i++)
        {
            if (later.Exists(l => l.Science == _waiting[i].Science))
            {
                _waiting[i] = _waiting[i] with { ForLater = true };
            }
        }

        nowWaitingForLater = later;
        return released;
    }

    /// <summary>Scans that waited for their later calibration C₂ until <see cref="LaterDeadline"/> without it, removed
    /// from waiting and planned with C₁ alone, the note saying so.</summary>
    public IReadOnlyList<PlannedScan> ReleaseDue()
    {
        if (_planning.GainInterpolation == GainInterpolation.None)
        {
            return [];
        }

        var now = _time.GetUtcNow();
        var released = new List<PlannedScan>();
        _waiting.RemoveAll(w =>
        {
            if (now < LaterDeadline(w.Science) || Plan(w.Science, out _).Scan is not { } planned)
            {
                return false;
            }

            released.Add(planned);
            return true;
        });
        return released;
    }

    /// <summary>Takes <paramref name="science"/> off the waiting list without planning it (it needs nothing more); false
    /// when it was not waiting.</summary>
    public bool Forget(RawScanHeader science) => _waiting.RemoveAll(w => w.Science == science) > 0;

    /// <summary><c>scanflow retry</c> on a scan WAITING for its later calibration: removed from waiting and planned with
    /// C₁ alone, the note saying it was forced through; null (and no change) when it does not wait for C₂.</summary>
    public PlannedScan? Force(RawScanHeader science)
    {
        ArgumentNullException.ThrowIfNull(science);
        if (!WaitsForLater(science))
        {
            return null;
        }

        _waiting.RemoveAll(w => w.Science == science);
        var calibration = CalibrationPairing.Choose(science, _calibrations, _maxCalibrationAge, out _)!;
        return new PlannedScan(science, calibration)
        {
            GainInterpolationNote = string.Create(
                CultureInfo.InvariantCulture,
                $"forced through by scanflow retry before a later calibration scan arrived; calibrated with scan {calibration.ScanId} alone"),
        };
    }

    /// <summary>Removes the scans that have waited at least the wait timeout and still cannot pair, each with the reason
    /// its run fails. A scan that can pair by now is left for <see cref="Release()"/>.</summary>
    public IReadOnlyList<(RawScanHeader Science, string Reason)> Expire()
    {
        var now = _time.GetUtcNow();
        var expired = new List<(RawScanHeader Science, string Reason)>();
        _waiting.RemoveAll(w =>
        {
            var waited = now - w.Since;
            if (waited < _waitTimeout || CalibrationPairing.Choose(w.Science, _calibrations, _maxCalibrationAge, out var pairing) is not null)
            {
                return false;
            }

            var s = w.Science;
            var reason = string.Create(
                CultureInfo.InvariantCulture,
                $"no calibration scan for {ModelNames.Of(s.Band)} LO {s.LoFrequencyHz / 1e9:F3} GHz {ModelNames.Of(s.Sideband)} arrived within {Minutes(_waitTimeout)} of scan {s.ScanId} landing (waited {Minutes(waited)}); {pairing}");
            expired.Add((s, reason));
            return true;
        });
        return expired;
    }

    /// <summary>"30 min", "1.5 min", as <see cref="CalibrationPairing"/> writes them.</summary>
    private static string Minutes(TimeSpan span) =>
        span.TotalMinutes.ToString("0.#", CultureInfo.InvariantCulture) + " min";
}

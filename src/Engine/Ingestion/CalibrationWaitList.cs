using System.Globalization;
using Scanflow.Engine.Formats;
using Scanflow.Engine.Model;
using Scanflow.Engine.Planning;

namespace Scanflow.Engine.Ingestion;

/// <summary>Science scans in state WAITING for a calibration scan of their setup (band, LO, sideband): paired through
/// <see cref="CalibrationPairing.Choose"/> when one lands, failed when none lands within the wait timeout. A service
/// runs for months, so calibrations that started more than <see cref="Retention"/> before the newest one are forgotten.</summary>
internal sealed class CalibrationWaitList
{
    /// <summary>How far behind the newest calibration a calibration is still kept for pairing: a science scan that lands
    /// later than that after its calibration is calibrated with <c>scanflow calibrate</c>, not by the service.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(7);

    private readonly TimeSpan _maxCalibrationAge;
    private readonly TimeSpan _waitTimeout;
    private readonly TimeProvider _time;
    private readonly List<RawScanHeader> _calibrations = [];
    private readonly List<WaitingScience> _waiting = [];
    private bool _calibrationAddedSinceRelease;

    public CalibrationWaitList(TimeSpan maxCalibrationAge, TimeSpan waitTimeout, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCalibrationAge, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(waitTimeout, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(time);
        _maxCalibrationAge = maxCalibrationAge;
        _waitTimeout = waitTimeout;
        _time = time;
    }

    public int Waiting => _waiting.Count;

    public IReadOnlyList<RawScanHeader> WaitingScans => [.. _waiting.Select(w => w.Science)];

    /// <summary>Makes a calibration scan known to later pairings and to <see cref="Release"/>.</summary>
    public void AddCalibration(RawScanHeader calibration)
    {
        ArgumentNullException.ThrowIfNull(calibration);
        if (calibration.Kind != ScanKind.Calibration)
        {
            throw new ArgumentException($"{calibration.Describe()} is not a calibration scan", nameof(calibration));
        }

        if (!_calibrations.Contains(calibration))
        {
            _calibrations.Add(calibration);
            _calibrationAddedSinceRelease = true;
            var oldest = _calibrations.Max(c => c.StartMjd) - Retention.TotalDays;
            _calibrations.RemoveAll(c => c.StartMjd < oldest);
        }
    }

    /// <summary>Calibrations known for pairing (at most <see cref="Retention"/> behind the newest).</summary>
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

        var calibration = CalibrationPairing.Choose(science, _calibrations, _maxCalibrationAge, out reason);
        var index = _waiting.FindIndex(w => w.Science == science);
        if (calibration is not null)
        {
            if (index >= 0)
            {
                _waiting.RemoveAt(index);
            }

            return new PlannedScan(science, calibration);
        }

        if (index < 0)
        {
            _waiting.Add(new WaitingScience(science, _time.GetUtcNow()));
        }

        return null;
    }

    /// <summary>Waiting scans that the calibrations added since the last release can now pair, removed from waiting.</summary>
    public IReadOnlyList<PlannedScan> Release()
    {
        if (!_calibrationAddedSinceRelease)
        {
            return [];
        }

        _calibrationAddedSinceRelease = false;
        var released = new List<PlannedScan>();
        _waiting.RemoveAll(w =>
        {
            var calibration = CalibrationPairing.Choose(w.Science, _calibrations, _maxCalibrationAge, out _);
            if (calibration is null)
            {
                return false;
            }

            released.Add(new PlannedScan(w.Science, calibration));
            return true;
        });
        return released;
    }

    /// <summary>Removes the scans that have waited at least the wait timeout and still cannot pair, each with the reason
    /// its run fails. A scan that can pair by now is left for <see cref="Release"/>.</summary>
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

using System.Globalization;
using Scanflow.Engine.Formats;
using Scanflow.Engine.Model;
using Scanflow.Engine.Processing;

namespace Scanflow.Engine.Planning;

/// <summary>Chooses the calibration scan for a science scan in time (calibration.md §7.6); the one place for that rule.
/// Whether a calibration fits at all (band, sideband, LO) is <see cref="CalibrationMatch.SameSetup"/>.</summary>
internal static class CalibrationPairing
{
    private const double MillisecondsPerDay = 86_400_000.0;

    /// <summary>
    /// Among calibrations of the same setup: the latest that started at or before the science start, if within
    /// <paramref name="maxAge"/>; otherwise the earliest that started after it, if within <paramref name="maxAge"/>;
    /// otherwise null, with <paramref name="reason"/> naming the setup, the limit and the nearest candidate if any.
    /// </summary>
    public static RawScanHeader? Choose(RawScanHeader science, IReadOnlyList<RawScanHeader> calibrations, TimeSpan maxAge, out string? reason)
    {
        ArgumentNullException.ThrowIfNull(science);
        ArgumentNullException.ThrowIfNull(calibrations);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAge, TimeSpan.Zero);

        RawScanHeader? before = null, after = null;
        foreach (var calibration in calibrations)
        {
            if (calibration.Kind != ScanKind.Calibration || !CalibrationMatch.SameSetup(calibration, science))
            {
                continue;
            }

            // Ties in start time go to the higher scan id before and the lower one after: the one closer in the sequence.
            if (calibration.StartMjd <= science.StartMjd)
            {
                if (before is null || (calibration.StartMjd, calibration.ScanId).CompareTo((before.StartMjd, before.ScanId)) > 0)
                {
                    before = calibration;
                }
            }
            else if (after is null || (calibration.StartMjd, calibration.ScanId).CompareTo((after.StartMjd, after.ScanId)) < 0)
            {
                after = calibration;
            }
        }

        foreach (var candidate in new[] { before, after })
        {
            if (candidate is not null && Distance(science, candidate) <= maxAge)
            {
                reason = null;
                return candidate;
            }
        }

        var nearest = (before, after) switch
        {
            (null, null) => null,
            ({ } b, null) => b,
            (null, { } a) => a,
            ({ } b, { } a) => Distance(science, a) < Distance(science, b) ? a : b,
        };
        reason = string.Create(
            CultureInfo.InvariantCulture,
            $"no calibration scan for {ModelNames.Of(science.Band)} LO {science.LoFrequencyHz / 1e9:F3} GHz {ModelNames.Of(science.Sideband)} within {Minutes(maxAge)} of scan {science.ScanId}");
        if (nearest is not null)
        {
            reason += string.Create(CultureInfo.InvariantCulture, $"; the nearest, scan {nearest.ScanId}, is {Minutes(Distance(science, nearest))} away");
        }

        return null;
    }

    /// <summary>
    /// §7.10: with linear gain interpolation, adds C₂ to <paramref name="scan"/>: the earliest calibration of the same
    /// setup that starts after the scan's last ON dump, at most the maximum calibration age after it, provided C₁ started
    /// before the scan. Otherwise the note says why the scan is calibrated with one calibration.
    /// </summary>
    public static PlannedScan WithLater(PlannedScan scan, IReadOnlyList<RawScanHeader> calibrations, PlanningOptions options)
    {
        ArgumentNullException.ThrowIfNull(scan);
        ArgumentNullException.ThrowIfNull(calibrations);
        ArgumentNullException.ThrowIfNull(options);
        if (options.GainInterpolation == GainInterpolation.None)
        {
            return scan with { LaterCalibration = null, GainInterpolationNote = null };
        }

        var science = scan.Science;
        if (scan.Calibration.StartMjd > science.StartMjd)
        {
            return scan with
            {
                LaterCalibration = null,
                GainInterpolationNote = $"no calibration scan started before scan {science.ScanId} within {Minutes(options.MaxCalibrationAge)}; calibrated with the later scan {scan.Calibration.ScanId} alone",
            };
        }

        RawScanHeader? later = null;
        foreach (var calibration in calibrations)
        {
            if (calibration.Kind == ScanKind.Calibration && CalibrationMatch.SameSetup(calibration, science) && calibration.StartMjd > science.LastOnMjd
                && (later is null || (calibration.StartMjd, calibration.ScanId).CompareTo((later.StartMjd, later.ScanId)) < 0))
            {
                later = calibration;
            }
        }

        if (later is not null && Span(science.LastOnMjd, later.StartMjd) <= options.MaxCalibrationAge)
        {
            return scan with { LaterCalibration = later, GainInterpolationNote = null };
        }

        var note = string.Create(
            CultureInfo.InvariantCulture,
            $"no calibration scan for {ModelNames.Of(science.Band)} LO {science.LoFrequencyHz / 1e9:F3} GHz {ModelNames.Of(science.Sideband)} starts within {Minutes(options.MaxCalibrationAge)} after the last ON dump of scan {science.ScanId}");
        if (later is not null)
        {
            note += string.Create(CultureInfo.InvariantCulture, $" (the next, scan {later.ScanId}, starts {Minutes(Span(science.LastOnMjd, later.StartMjd))} after it)");
        }

        return scan with { LaterCalibration = null, GainInterpolationNote = note + $"; calibrated with scan {scan.Calibration.ScanId} alone" };
    }

    private static TimeSpan Span(double fromMjd, double toMjd) =>
        TimeSpan.FromMilliseconds(Math.Round((toMjd - fromMjd) * MillisecondsPerDay));

    // Whole milliseconds, so a calibration exactly maxAge away is not lost to MJD rounding (~1 µs at MJD 6e4).
    private static TimeSpan Distance(RawScanHeader science, RawScanHeader calibration) =>
        TimeSpan.FromMilliseconds(Math.Round(Math.Abs(science.StartMjd - calibration.StartMjd) * MillisecondsPerDay));

    /// <summary>"30 min", "42 min", "1.5 min": whole minutes where they are whole, else one decimal.</summary>
    private static string Minutes(TimeSpan span) =>
        span.TotalMinutes.ToString("0.#", CultureInfo.InvariantCulture) + " min";
}

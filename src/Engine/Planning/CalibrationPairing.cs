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

    // Whole milliseconds, so a calibration exactly maxAge away is not lost to MJD rounding (~1 µs at MJD 6e4).
    private static TimeSpan Distance(RawScanHeader science, RawScanHeader calibration) =>
        TimeSpan.FromMilliseconds(Math.Round(Math.Abs(science.StartMjd - calibration.StartMjd) * MillisecondsPerDay));

    /// <summary>"30 min", "42 min", "1.5 min": whole minutes where they are whole, else one decimal.</summary>
    private static string Minutes(TimeSpan span) =>
        span.TotalMinutes.ToString("0.#", CultureInfo.InvariantCulture) + " min";
}

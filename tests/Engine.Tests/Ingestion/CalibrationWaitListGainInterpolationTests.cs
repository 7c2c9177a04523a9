using Microsoft.Extensions.Time.Testing;
using Scanflow.Engine.Formats;
using Scanflow.Engine.Ingestion;
using Scanflow.Engine.Processing;
using Scanflow.Engine.Tests.Planning;

namespace Scanflow.Engine.Tests.Ingestion;

/// <summary>The service's wait for the later calibration C₂ with linear gain interpolation (calibration.md §7.10). The
/// clock starts at <see cref="TestHeaders.Mjd0"/> (2026-11-23 00:00 UTC); the science scan starts 5 min later and its
/// last ON dump is at 10 min, so with a 30 min maximum age it waits until 00:40 UTC.</summary>
public class CalibrationWaitListGainInterpolationTests
{
    private static readonly TimeSpan ThirtyMinutes = TimeSpan.FromMinutes(30);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero));
    private readonly CalibrationWaitList _list;

    public CalibrationWaitListGainInterpolationTests() => _list = new CalibrationWaitList(ThirtyMinutes, ThirtyMinutes, _time, GainInterpolation.Linear);

    private static RawScanHeader Science(long id = 2, double startMinutes = 5, double lastOnMinutes = 10) =>
        TestHeaders.Science(id, startMinutes) with { LastOnMjd = TestHeaders.Mjd0 + (lastOnMinutes / 1440.0) };

    [Fact]
    public void The_deadline_is_the_maximum_age_after_the_last_ON_dump()
    {
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 0, 40, 0, TimeSpan.Zero), _list.LaterDeadline(Science()));
        Assert.Equal(DateTimeOffset.MinValue, _list.LaterDeadline(TestHeaders.Science(2, 5)));
    }

    [Fact]
    public void With_linear_a_paired_scan_waits_for_the_later_calibration_and_the_wait_timeout_does_not_fail_it()
    {
        _list.AddCalibration(TestHeaders.Calibration(1, 0));
        var science = Science();

        Assert.Null(_list.Pair(science, out var reason));

        Assert.Equal("waiting for a later calibration scan for gain interpolation (until 00:40 UTC)", reason);
        Assert.Equal(1, _list.Waiting);
        Assert.True(_list.WaitsForLater(science));
        Assert.Empty(_list.Release());
        _time.Advance(TimeSpan.FromMinutes(35)); // past the 30 min wait timeout for C₁, before the deadline
        Assert.Empty(_list.Expire());
        Assert.Empty(_list.ReleaseDue());
        Assert.Equal(1, _list.Waiting);
    }

    [Fact]
    public void A_waiting_scan_is_released_with_both_calibrations_when_the_later_one_lands()
    {
        _list.AddCalibration(TestHeaders.Calibration(1, 0));
        var science = Science();
        _list.Pair(science, out _);

        _list.AddCalibration(TestHeaders.Calibration(3, 8)); // starts before the last ON dump: not C₂
        Assert.Empty(_list.Release());
        _list.AddCalibration(TestHeaders.Calibration(4, 12));
        var released = Assert.Single(_list.Release());

        Assert.Equal(science, released.Science);
        Assert.Equal(1, released.Calibration.ScanId);
        Assert.Equal(4, released.LaterCalibration?.ScanId);
        Assert.Null(released.GainInterpolationNote);
        Assert.Equal(0, _list.Waiting);
    }

    [Fact]
    public void A_scan_waiting_for_its_calibration_then_waits_for_the_later_one()
    {
        var science = Science();
        Assert.Null(_list.Pair(science, out _));
        Assert.False(_list.WaitsForLater(science));

        _list.AddCalibration(TestHeaders.Calibration(1, 0));

        Assert.Empty(_list.Release(out var nowWaitingForLater));
        var (waiting, reason) = Assert.Single(nowWaitingForLater);
        Assert.Equal(science, waiting);
        Assert.Equal("waiting for a later calibration scan for gain interpolation (until 00:40 UTC)", reason);
        Assert.True(_list.WaitsForLater(science));
        Assert.Empty(_list.Expire());
        _list.AddCalibration(TestHeaders.Calibration(3, 8)); // not C₂ (before the last ON dump): said once, not again
        Assert.Empty(_list.Release(out nowWaitingForLater));
        Assert.Empty(nowWaitingForLater);
    }

    [Fact]
    public void At_the_deadline_a_waiting_scan_goes_ahead_with_its_calibration_alone_and_the_note_says_so()
    {
        _list.AddCalibration(TestHeaders.Calibration(1, 0));
        var science = Science();
        _list.Pair(science, out _);

        _time.Advance(TimeSpan.FromMinutes(40) - TimeSpan.FromSeconds(1));
        Assert.Empty(_list.ReleaseDue());
        _time.Advance(TimeSpan.FromSeconds(1));
        var released = Assert.Single(_list.ReleaseDue());

        Assert.Equal(science, released.Science);
        Assert.Equal(1, released.Calibration.ScanId);
        Assert.Null(released.LaterCalibration);
        Assert.Equal(
            "no calibration scan for LFA LO 475.000 GHz USB starts within 30 min after the last ON dump of scan 2; calibrated with scan 1 alone",
            released.GainInterpolationNote);
        Assert.Equal(0, _list.Waiting);
        Assert.Empty(_list.ReleaseDue());
    }

    [Fact]
    public void A_scan_whose_deadline_has_passed_when_it_lands_goes_straight_through_with_the_note()
    {
        _list.AddCalibration(TestHeaders.Calibration(1, 0));
        _time.Advance(TimeSpan.FromHours(2)); // replayed old data

        var planned = _list.Pair(Science(), out var reason);

        Assert.Null(reason);
        Assert.Equal(1, planned?.Calibration.ScanId);
        Assert.Null(planned?.LaterCalibration);
        Assert.EndsWith("calibrated with scan 1 alone", planned?.GainInterpolationNote, StringComparison.Ordinal);
        Assert.Equal(0, _list.Waiting);
    }

    [Fact]
    public void A_scan_whose_calibration_came_after_it_does_not_wait()
    {
        _list.AddCalibration(TestHeaders.Calibration(3, 12));

        var planned = _list.Pair(Science(), out _);

        Assert.Equal(3, planned?.Calibration.ScanId);
        Assert.Equal("no calibration scan started before scan 2 within 30 min; calibrated with the later scan 3 alone", planned?.GainInterpolationNote);
        Assert.Equal(0, _list.Waiting);
    }

    [Fact]
    public void Force_takes_a_scan_waiting_for_the_later_calibration_through_with_its_calibration_alone()
    {
        var science = Science();
        Assert.Null(_list.Force(science)); // not waiting at all
        _list.Pair(science, out _);
        Assert.Null(_list.Force(science)); // waiting for its calibration, not for the later one

        _list.AddCalibration(TestHeaders.Calibration(1, 0));
        _list.Release();
        var forced = _list.Force(science);

        Assert.Equal(1, forced?.Calibration.ScanId);
        Assert.Null(forced?.LaterCalibration);
        Assert.Equal("forced through by scanflow retry before a later calibration scan arrived; calibrated with scan 1 alone", forced?.GainInterpolationNote);
        Assert.Equal(0, _list.Waiting);
    }

    [Fact]
    public void Forget_takes_a_scan_off_the_list_without_planning_it()
    {
        _list.AddCalibration(TestHeaders.Calibration(1, 0));
        var science = Science();
        _list.Pair(science, out _);

        Assert.True(_list.Forget(science));
        Assert.False(_list.Forget(science));
        Assert.Equal(0, _list.Waiting);
        _time.Advance(TimeSpan.FromHours(1));
        Assert.Empty(_list.ReleaseDue());
    }

    [Fact]
    public void Without_gain_interpolation_nothing_waits_for_a_later_calibration()
    {
        var list = new CalibrationWaitList(ThirtyMinutes, ThirtyMinutes, _time);
        list.AddCalibration(TestHeaders.Calibration(1, 0));
        list.AddCalibration(TestHeaders.Calibration(4, 12));
        var science = Science();

        var planned = list.Pair(science, out var reason);

        Assert.Null(reason);
        Assert.Equal(1, planned?.Calibration.ScanId);
        Assert.Null(planned?.LaterCalibration);
        Assert.Null(planned?.GainInterpolationNote);

        var other = Science(id: 5, startMinutes: 20, lastOnMinutes: 25);
        Assert.Equal(4, list.Pair(other, out _)?.Calibration.ScanId);
        Assert.Equal(0, list.Waiting);
        Assert.Empty(list.ReleaseDue());
    }
}

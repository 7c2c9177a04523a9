using Microsoft.Extensions.Time.Testing;
using Scanflow.Engine.Ingestion;
using Scanflow.Engine.Model;
using Scanflow.Engine.Tests.Planning;

namespace Scanflow.Engine.Tests.Ingestion;

public class CalibrationWaitListTests
{
    private static readonly TimeSpan ThirtyMinutes = TimeSpan.FromMinutes(30);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero));
    private readonly CalibrationWaitList _list;

    public CalibrationWaitListTests() => _list = new CalibrationWaitList(ThirtyMinutes, ThirtyMinutes, _time);

    [Fact]
    public void Pair_pairs_at_once_when_the_calibration_is_known()
    {
        _list.AddCalibration(TestHeaders.Calibration(1, 0));

        var planned = _list.Pair(TestHeaders.Science(2, 5), out var reason);

        Assert.Equal(1, planned?.Calibration.ScanId);
        Assert.Null(reason);
        Assert.Equal(0, _list.Waiting);
    }

    [Fact]
    public void A_science_scan_landing_before_its_calibration_waits_and_is_released_when_it_lands()
    {
        var science = TestHeaders.Science(2, 5);

        Assert.Null(_list.Pair(science, out var reason));
        Assert.StartsWith("no calibration scan for LFA LO 475.000 GHz USB", reason, StringComparison.Ordinal);
        Assert.Equal(1, _list.Waiting);
        Assert.Equal(science, Assert.Single(_list.WaitingScans));
        Assert.Empty(_list.Release());

        _list.AddCalibration(TestHeaders.Calibration(3, 10));
        var released = Assert.Single(_list.Release());

        Assert.Equal(science, released.Science);
        Assert.Equal(3, released.Calibration.ScanId);
        Assert.Equal(0, _list.Waiting);
        Assert.Empty(_list.Release());
    }

    [Fact]
    public void A_calibration_of_another_band_does_not_release_a_waiting_scan()
    {
        _list.Pair(TestHeaders.Science(2, 5), out _);

        _list.AddCalibration(TestHeaders.Calibration(3, 6, Band.Hfa, loHz: 1.9e12));
        _list.AddCalibration(TestHeaders.Calibration(4, 6, sideband: Sideband.Lsb));

        Assert.Empty(_list.Release());
        Assert.Equal(1, _list.Waiting);
    }

    [Fact]
    public void Expire_fails_a_scan_that_waited_the_timeout_with_the_reason()
    {
        var science = TestHeaders.Science(1234, 5);
        _list.Pair(science, out _);
        _time.Advance(ThirtyMinutes - TimeSpan.FromSeconds(1));
        Assert.Empty(_list.Expire());

        _time.Advance(TimeSpan.FromSeconds(1));
        var (expired, reason) = Assert.Single(_list.Expire());

        Assert.Equal(science, expired);
        Assert.StartsWith(
            "no calibration scan for LFA LO 475.000 GHz USB arrived within 30 min of scan 1234 landing (waited 30 min)", reason, StringComparison.Ordinal);
        Assert.Equal(0, _list.Waiting);
        Assert.Empty(_list.Expire());
    }

    [Fact]
    public void Expire_names_a_calibration_that_arrived_but_is_too_far_away()
    {
        _list.Pair(TestHeaders.Science(1234, 60), out _);
        _list.AddCalibration(TestHeaders.Calibration(7, 0));
        Assert.Empty(_list.Release());
        _time.Advance(ThirtyMinutes);

        var (_, reason) = Assert.Single(_list.Expire());

        Assert.EndsWith("the nearest, scan 7, is 60 min away", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Expire_leaves_a_scan_that_can_pair_by_now_to_Release()
    {
        var science = TestHeaders.Science(2, 5);
        _list.Pair(science, out _);
        _time.Advance(ThirtyMinutes);
        _list.AddCalibration(TestHeaders.Calibration(3, 10));

        Assert.Empty(_list.Expire());
        Assert.Equal(science, Assert.Single(_list.Release()).Science);
    }

    [Fact]
    public void Pair_of_a_scan_already_waiting_keeps_its_first_waiting_time()
    {
        var science = TestHeaders.Science(2, 5);
        _list.Pair(science, out _);
        _time.Advance(TimeSpan.FromMinutes(20));
        _list.Pair(science, out _);
        _time.Advance(TimeSpan.FromMinutes(10));

        Assert.Single(_list.Expire());
        Assert.Equal(0, _list.Waiting);
    }

    [Fact]
    public void Calibrations_are_forgotten_the_retention_after_they_landed()
    {
        _list.AddCalibration(TestHeaders.Calibration(1, 0));
        _time.Advance(CalibrationWaitList.Retention);
        _list.AddCalibration(TestHeaders.Calibration(2, 0.5));
        Assert.Equal(2, _list.Calibrations);

        _time.Advance(TimeSpan.FromMinutes(1));
        _list.AddCalibration(TestHeaders.Calibration(3, 1));

        Assert.Equal(2, _list.Calibrations);
        // Scan 1 (0 min) would be its calibration; forgotten, the earliest after it is taken.
        Assert.Equal(2, _list.Pair(TestHeaders.Science(4, 0.2), out _)?.Calibration.ScanId);
    }

    /// <summary>Backfill: an older night dropped after a newer one (days apart in MJD) pairs with its own calibration.</summary>
    [Fact]
    public void An_older_night_dropped_after_a_newer_one_pairs_with_its_own_calibration()
    {
        var days = 100 * 24 * 60.0;
        _list.AddCalibration(TestHeaders.Calibration(20, days));
        Assert.Equal(20, _list.Pair(TestHeaders.Science(21, days + 5), out _)?.Calibration.ScanId);

        _list.AddCalibration(TestHeaders.Calibration(1, 0));

        Assert.Equal(2, _list.Calibrations);
        Assert.Equal(1, _list.Pair(TestHeaders.Science(2, 5), out _)?.Calibration.ScanId);
    }
}

using Scanflow.Engine.Formats;
using Scanflow.Engine.Model;
using Scanflow.Engine.Planning;

namespace Scanflow.Engine.Tests.Planning;

public class CalibrationPairingTests
{
    private static readonly TimeSpan ThirtyMinutes = TimeSpan.FromMinutes(30);

    [Fact]
    public void Choose_takes_the_latest_calibration_before_the_science_scan()
    {
        var science = TestHeaders.Science(10, 60);
        RawScanHeader[] calibrations = [TestHeaders.Calibration(1, 35), TestHeaders.Calibration(2, 50), TestHeaders.Calibration(3, 45)];

        var chosen = CalibrationPairing.Choose(science, calibrations, ThirtyMinutes, out var reason);

        Assert.Equal(2, chosen?.ScanId);
        Assert.Null(reason);
    }

    [Fact]
    public void Choose_prefers_the_one_before_over_a_nearer_one_after()
    {
        var science = TestHeaders.Science(10, 60);
        RawScanHeader[] calibrations = [TestHeaders.Calibration(11, 61), TestHeaders.Calibration(1, 35)];

        Assert.Equal(1, CalibrationPairing.Choose(science, calibrations, ThirtyMinutes, out _)?.ScanId);
    }

    [Fact]
    public void Choose_counts_a_calibration_starting_with_the_science_scan_as_before()
    {
        var science = TestHeaders.Science(10, 60);
        RawScanHeader[] calibrations = [TestHeaders.Calibration(11, 60.5), TestHeaders.Calibration(9, 60)];

        Assert.Equal(9, CalibrationPairing.Choose(science, calibrations, ThirtyMinutes, out _)?.ScanId);
    }

    [Fact]
    public void Choose_takes_the_earliest_after_when_none_before_is_young_enough()
    {
        var science = TestHeaders.Science(10, 60);
        RawScanHeader[] calibrations = [TestHeaders.Calibration(1, 20), TestHeaders.Calibration(12, 85), TestHeaders.Calibration(11, 75)];

        var chosen = CalibrationPairing.Choose(science, calibrations, ThirtyMinutes, out var reason);

        Assert.Equal(11, chosen?.ScanId);
        Assert.Null(reason);
    }

    [Fact]
    public void Choose_accepts_a_calibration_exactly_max_age_away_and_not_a_second_more()
    {
        var science = TestHeaders.Science(10, 60);

        Assert.Equal(1, CalibrationPairing.Choose(science, [TestHeaders.Calibration(1, 30)], ThirtyMinutes, out _)?.ScanId);
        Assert.Equal(2, CalibrationPairing.Choose(science, [TestHeaders.Calibration(2, 90)], ThirtyMinutes, out _)?.ScanId);
        Assert.Null(CalibrationPairing.Choose(science, [TestHeaders.Calibration(3, 30 - (1 / 60.0))], ThirtyMinutes, out _));
        Assert.Null(CalibrationPairing.Choose(science, [TestHeaders.Calibration(4, 90 + (1 / 60.0))], ThirtyMinutes, out _));
    }

    [Fact]
    public void Choose_honours_a_configured_max_age()
    {
        var science = TestHeaders.Science(10, 60);
        RawScanHeader[] calibrations = [TestHeaders.Calibration(1, 20)];

        Assert.Null(CalibrationPairing.Choose(science, calibrations, ThirtyMinutes, out _));
        Assert.Equal(1, CalibrationPairing.Choose(science, calibrations, TimeSpan.FromHours(1), out _)?.ScanId);
    }

    [Fact]
    public void Choose_with_no_calibration_at_all_gives_the_exact_reason()
    {
        var science = TestHeaders.Science(1234, 60);

        var chosen = CalibrationPairing.Choose(science, [], ThirtyMinutes, out var reason);

        Assert.Null(chosen);
        Assert.Equal("no calibration scan for LFA LO 475.000 GHz USB within 30 min of scan 1234", reason);
    }

    [Fact]
    public void Choose_names_the_nearest_calibration_when_all_are_too_old()
    {
        var science = TestHeaders.Science(1234, 60);
        RawScanHeader[] calibrations = [TestHeaders.Calibration(5, 0), TestHeaders.Calibration(17, 18), TestHeaders.Calibration(1300, 105)];

        var chosen = CalibrationPairing.Choose(science, calibrations, ThirtyMinutes, out var reason);

        Assert.Null(chosen);
        Assert.Equal("no calibration scan for LFA LO 475.000 GHz USB within 30 min of scan 1234; the nearest, scan 17, is 42 min away", reason);
    }

    [Fact]
    public void Choose_names_a_nearest_calibration_after_the_scan_with_fractional_minutes()
    {
        var science = TestHeaders.Science(1234, 60);

        CalibrationPairing.Choose(science, [TestHeaders.Calibration(1300, 91.5)], ThirtyMinutes, out var reason);

        Assert.EndsWith("; the nearest, scan 1300, is 31.5 min away", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Choose_ignores_calibrations_of_another_band()
    {
        var science = TestHeaders.Science(10, 60);
        RawScanHeader[] calibrations = [TestHeaders.Calibration(9, 59, Band.Hfa)];

        Assert.Null(CalibrationPairing.Choose(science, calibrations, ThirtyMinutes, out var reason));
        Assert.Equal("no calibration scan for LFA LO 475.000 GHz USB within 30 min of scan 10", reason);
    }

    [Fact]
    public void Choose_ignores_calibrations_of_another_lo_setting_but_tolerates_one_kilohertz()
    {
        var science = TestHeaders.Science(10, 60);
        RawScanHeader[] calibrations =
        [
            TestHeaders.Calibration(9, 59, loHz: TestHeaders.LfaLoHz + 2e3),
            TestHeaders.Calibration(8, 58, loHz: 476e9),
            TestHeaders.Calibration(7, 50, loHz: TestHeaders.LfaLoHz - 1e3),
        ];

        Assert.Equal(7, CalibrationPairing.Choose(science, calibrations, ThirtyMinutes, out _)?.ScanId);
    }

    [Fact]
    public void Choose_ignores_calibrations_of_the_other_sideband()
    {
        var science = TestHeaders.Science(10, 60, sideband: Sideband.Lsb);
        RawScanHeader[] calibrations = [TestHeaders.Calibration(9, 59, sideband: Sideband.Usb)];

        Assert.Null(CalibrationPairing.Choose(science, calibrations, ThirtyMinutes, out var reason));
        Assert.Equal("no calibration scan for LFA LO 475.000 GHz LSB within 30 min of scan 10", reason);
    }

    [Fact]
    public void Choose_never_pairs_with_a_science_scan()
    {
        var science = TestHeaders.Science(10, 60);

        Assert.Null(CalibrationPairing.Choose(science, [TestHeaders.Science(9, 59)], ThirtyMinutes, out _));
    }

    [Fact]
    public void Choose_breaks_a_tie_in_start_time_towards_the_scan_id_nearer_in_sequence()
    {
        var science = TestHeaders.Science(10, 60);

        Assert.Equal(9, CalibrationPairing.Choose(science, [TestHeaders.Calibration(9, 50), TestHeaders.Calibration(8, 50)], ThirtyMinutes, out _)?.ScanId);
        Assert.Equal(11, CalibrationPairing.Choose(science, [TestHeaders.Calibration(12, 70), TestHeaders.Calibration(11, 70)], ThirtyMinutes, out _)?.ScanId);
    }

    [Fact]
    public void CalibrationOffset_is_negative_when_the_calibration_came_after()
    {
        var before = new PlannedScan(TestHeaders.Science(10, 60), TestHeaders.Calibration(9, 45));
        var after = new PlannedScan(TestHeaders.Science(10, 60), TestHeaders.Calibration(11, 70));

        Assert.Equal(15, before.CalibrationOffset.TotalMinutes, 6);
        Assert.Equal(-10, after.CalibrationOffset.TotalMinutes, 6);
    }
}

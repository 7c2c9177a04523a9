using Scanflow.Engine.Formats.Hdf5;
using Scanflow.Engine.Model;
using Scanflow.Engine.Processing;
using Scanflow.Engine.Simulation;

namespace Scanflow.Engine.Tests.Processing;

public class CalibrationFailureTests
{
    [Fact]
    public void Calibration_with_hot_equal_to_cold_fails_naming_the_scan_and_the_cause()
    {
        using var directory = new TempDirectory();
        var truth = ScanSimulator.Run(new SimulationOptions { OutputDirectory = directory.Path, Scans = 0, Pixels = 2, Channels = 64 });
        var path = directory.Combine(truth.Calibrations[0].File);
        PythonScript.Run("import sys, h5py\nwith h5py.File(sys.argv[1], 'r+') as f:\n    f['hot/counts'][...] = f['cold/counts'][...]\n", path);

        var error = Assert.Throws<CalibrationException>(() => CalibrationProducts.Compute(path, new CalibrationOptions()));

        Assert.Equal(truth.Calibrations[0].ScanId, error.ScanId);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("Y ≤ 1.02", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Failed_PWV_fit_uses_the_last_good_PWV_and_says_so_in_the_product()
    {
        // At 2 mm PWV the HFA signal band is opaque (t_s < 0.05 everywhere), so the fit has no bins left (§2.5).
        using var directory = new TempDirectory();
        var truth = ScanSimulator.Run(new SimulationOptions
        {
            OutputDirectory = directory.Combine("raw"),
            Band = Band.Hfa,
            Scans = 1,
            Pixels = 2,
            Channels = 128,
            OnDumps = 10,
            OffDumps = 3,
            PwvMm = 2.0,
            Noise = false,
        });
        var options = new CalibrationOptions();
        var calibration = CalibrationProducts.Compute(directory.Combine("raw", truth.Calibrations[0].File), options);
        Assert.Equal(Engine.Science.AtmosphereFitStatus.Failed, calibration.Fit.Status);
        Directory.CreateDirectory(directory.Combine("l1"));

        var product = ScienceScanCalibrator.Calibrate(
            directory.Combine("raw", truth.Science[0].File), calibration, options, directory.Combine("l1"), DateTimeOffset.UnixEpoch, fallbackPwvMm: 1.9);

        using var file = Hdf5File.OpenRead(product.Path);
        Assert.Equal("failed", file.ReadStringAttribute("atm_fit_status"));
        Assert.Equal(1.9, file.ReadDoubleAttribute("pwv_mm"));
        Assert.Contains("last good PWV 1.9000 mm", file.ReadStringAttribute("pwv_note"), StringComparison.Ordinal);
    }
}

using Scanflow.Engine.Formats;
using Scanflow.Engine.Formats.Hdf5;
using Scanflow.Engine.Processing;
using Scanflow.Engine.Science;
using Scanflow.Engine.Simulation;

namespace Scanflow.Engine.Tests.Processing;

/// <summary>Issue 10 item 3 through the library path: the cases the end-to-end tests (Host.Tests) do not reach.</summary>
public class CountsValidationTests
{
    private const int Pixels = 2;
    private const int Channels = 64;

    [Fact]
    public void Finite_counts_whose_T_A_star_overflows_float32_are_flagged_invalid_not_infinite_10()
    {
        using var directory = new TempDirectory();
        var truth = Simulate(directory);
        var science = directory.Combine("raw", truth.Science[0].File);
        // A backend with a gain of ~1e-3 counts/K (every count scaled down alike, so T_A* is unchanged) makes the scale
        // T_cal/(C_hot − C_sky) large enough that finite counts near float32's limit give a T_A* beyond it.
        PythonScript.Run(
            "import sys, h5py\n"
            + "with h5py.File(sys.argv[1], 'r+') as f:\n    for load in ('hot', 'cold', 'sky'): f[load + '/counts'][...] = f[load + '/counts'][...] * 1e-6\n"
            + "with h5py.File(sys.argv[2], 'r+') as f:\n    for part in ('on', 'off'): f[part + '/counts'][...] = f[part + '/counts'][...] * 1e-6\n"
            + "    f['on/counts'][4, 0, 3] = 3e38\n",
            directory.Combine("raw", truth.Calibrations[0].File),
            science);
        var options = new CalibrationOptions();
        var calibration = CalibrationProducts.Compute(directory.Combine("raw", truth.Calibrations[0].File), options);

        var product = ScienceScanCalibrator.Calibrate(science, calibration, options, directory.Combine("l1"), DateTimeOffset.UnixEpoch);

        using var file = Hdf5File.OpenRead(product.Path);
        Assert.Equal(0, file.ReadDataset<byte>(L1Format.ChannelFlagDataset)[3]);
        var dumpFlags = file.ReadDataset<byte>(L1Format.DumpFlagDataset);
        Assert.Equal([4 * Pixels], Enumerable.Range(0, dumpFlags.Length).Where(i => (dumpFlags[i] & (byte)DumpFlags.InvalidCounts) != 0));
        var taStar = file.ReadDataset<float>(L1Format.TaStarDataset);
        Assert.DoesNotContain(taStar, float.IsInfinity);
        Assert.All(taStar.AsSpan(4 * Pixels * Channels, Channels).ToArray(), value => Assert.True(float.IsNaN(value)));
    }

    [Fact]
    public void A_load_dump_all_zero_for_one_pixel_flags_that_pixel_10()
    {
        using var directory = new TempDirectory();
        var truth = Simulate(directory);
        var path = directory.Combine("raw", truth.Calibrations[0].File);
        PythonScript.Run("import sys, h5py\nwith h5py.File(sys.argv[1], 'r+') as f:\n    f['cold/counts'][1, 1, :] = 0\n", path);

        var calibration = CalibrationProducts.Compute(path, new CalibrationOptions());

        Assert.Equal([false, true], calibration.Loads.PixelIsBad);
        Assert.All(calibration.Loads.Flags.AsSpan(Channels, Channels).ToArray(), f => Assert.Equal(ChannelFlags.BadChannel | ChannelFlags.BadPixel, f));
    }

    [Fact]
    public void Infinite_pointing_offsets_are_rejected_naming_the_dataset_10()
    {
        using var directory = new TempDirectory();
        var truth = Simulate(directory);
        var path = directory.Combine("raw", truth.Science[0].File);
        PythonScript.Run("import sys, h5py, numpy\nwith h5py.File(sys.argv[1], 'r+') as f:\n    f['on/offset_arcsec'][3, 0] = numpy.inf\n", path);

        var error = Assert.Throws<ScanFormatException>(() => ScienceScanReader.Open(path).Dispose());

        Assert.Equal((ScanFormatProblem.NonFiniteData, "/on/offset_arcsec"), (error.Problem, error.ObjectPath));
    }

    private static SimulationTruth Simulate(TempDirectory directory)
    {
        Directory.CreateDirectory(directory.Combine("l1"));
        return ScanSimulator.Run(new SimulationOptions
        {
            OutputDirectory = directory.Combine("raw"),
            Scans = 1,
            Pixels = Pixels,
            Channels = Channels,
            OnDumps = 10,
            OffDumps = 3,
            Noise = false,
        });
    }
}

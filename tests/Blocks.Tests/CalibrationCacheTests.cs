using Scanflow.Engine.Processing;
using Scanflow.Engine.Simulation;
using Scanflow.Engine.Tests;

namespace Scanflow.Blocks.Tests;

public class CalibrationCacheTests
{
    [Fact]
    public void Only_the_most_recently_used_calibrations_are_kept_and_an_evicted_one_is_read_again_to_the_same_products()
    {
        using var directory = new TempDirectory();
        var paths = Enumerable.Range(0, CalibrationCache.Capacity + 1).Select(i => Calibration(directory, i)).ToList();

        var cache = new CalibrationCache(new CalibrationOptions());
        var first = cache.Products(paths[0]).Fit.PwvMm;
        foreach (var path in paths.Skip(1))
        {
            cache.Products(path);
        }

        Assert.Equal(CalibrationCache.Capacity, cache.Count);
        Assert.Equal(first, cache.Products(paths[0]).Fit.PwvMm);
        Assert.Equal(CalibrationCache.Capacity, cache.Count);
    }

    [Fact]
    public void Beyond_its_memory_budget_the_cache_keeps_only_the_two_most_recent_calibrations_11()
    {
        using var directory = new TempDirectory();
        var paths = Enumerable.Range(0, 4).Select(i => Calibration(directory, i)).ToList();
        var oneCalibration = 2L * 128 * CachedCalibration.BytesPerElement;

        var cache = new CalibrationCache(new CalibrationOptions(), budgetBytes: oneCalibration);
        foreach (var path in paths)
        {
            cache.Read(path);
            cache.Products(path);
        }

        Assert.Equal(CalibrationCache.Minimum, cache.Count);

        var roomy = new CalibrationCache(new CalibrationOptions(), budgetBytes: 3 * oneCalibration);
        foreach (var path in paths)
        {
            roomy.Read(path);
        }

        Assert.Equal(3, roomy.Count);
    }

    [Fact]
    public void A_bad_calibration_fails_every_time_with_the_same_reason()
    {
        using var directory = new TempDirectory();
        var path = directory.Combine("scan_000001_LFA_cal.h5");
        File.WriteAllText(path, "not HDF5");
        var cache = new CalibrationCache(new CalibrationOptions());

        var first = Assert.ThrowsAny<Exception>(() => cache.Loads(path));
        var second = Assert.ThrowsAny<Exception>(() => cache.Products(path));

        Assert.Same(first, second);
        Assert.Contains(path, first.Message, StringComparison.Ordinal);
    }

    /// <summary>The <paramref name="i"/>-th of a series of distinct calibration scans, 2 pixels × 128 channels.</summary>
    private static string Calibration(TempDirectory directory, int i)
    {
        var truth = ScanSimulator.Run(new SimulationOptions
        {
            OutputDirectory = directory.Path,
            Scans = 1,
            FirstScanId = 1 + (10 * i),
            Pixels = 2,
            Channels = 128,
            OnDumps = 4,
            Seed = i,
            PwvMm = 0.3 + (0.1 * i),
        });
        return Path.Combine(directory.Path, truth.Calibrations.Single(c => c.ScanId == 1 + (10 * i)).File);
    }
}

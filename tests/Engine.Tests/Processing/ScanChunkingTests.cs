using Scanflow.Engine.Formats;
using Scanflow.Engine.Formats.Hdf5;
using Scanflow.Engine.Model;
using Scanflow.Engine.Processing;
using Scanflow.Engine.Simulation;

namespace Scanflow.Engine.Tests.Processing;

/// <summary>Issue 11: scans are cut into blocks of whole dumps, or of pixel rows when a dump is larger than a chunk, and
/// the product does not depend on the cut.</summary>
public class ScanChunkingTests
{
    private const int Pixels = 5;
    private const int Channels = 64;
    private const int RowBytes = Channels * sizeof(float);

    [Theory]
    [InlineData(RowBytes, 1, 1)]                 // one pixel row per block
    [InlineData(2 * RowBytes, 1, 2)]             // two rows, the last block of a dump one
    [InlineData(Pixels * RowBytes, 1, Pixels)]   // exactly one dump
    [InlineData(3000, 2, Pixels)]                // two whole dumps
    public void Blocks_cover_every_pixel_row_of_every_dump_once_in_order_11(int chunkBytes, int dumpsPerBlock, int pixelsPerBlock)
    {
        using var directory = new TempDirectory();
        var truth = Simulate(directory);
        using var reader = ScienceScanReader.Open(directory.Combine("raw", truth.Science[0].File));
        var header = reader.Header;

        var blocks = ScanChunking.Blocks(header, chunkBytes).ToList();

        var rows = blocks.SelectMany(b => Enumerable.Range(b.FirstDump, b.Dumps).SelectMany(d => Enumerable.Range(b.FirstPixel, b.Pixels).Select(p => (d * Pixels) + p))).ToList();
        Assert.Equal(Enumerable.Range(0, header.OnDumps * Pixels), rows);
        Assert.All(blocks, b => Assert.True(b.Dumps <= dumpsPerBlock && b.Pixels <= pixelsPerBlock && (b.Dumps == 1 || b.Pixels == Pixels), b.ToString()));
        Assert.Equal(dumpsPerBlock * pixelsPerBlock * Channels, ScanChunking.BlockLength(header, chunkBytes));
    }

    [Fact]
    public void The_product_is_the_same_whether_dumps_are_read_whole_or_by_pixel_rows_11()
    {
        using var directory = new TempDirectory();
        var truth = Simulate(directory);
        var science = directory.Combine("raw", truth.Science[0].File);
        // One pixel's counts zeroed in one dump: its dump flag (bit 2) is set by the block holding that row only.
        PythonScript.Run("import sys, h5py\nwith h5py.File(sys.argv[1], 'r+') as f:\n    f['on/counts'][3, 2, :] = 0\n", science);
        var options = new CalibrationOptions();
        var calibration = CalibrationProducts.Compute(directory.Combine("raw", truth.Calibrations[0].File), options);

        var products = new[] { 1L << 20, Pixels * RowBytes, 2 * RowBytes, RowBytes }
            .Select(chunkBytes => Read(ScienceScanCalibrator.Calibrate(
                science, calibration, options, directory.Combine($"l1-{chunkBytes}"), DateTimeOffset.UnixEpoch, chunkBytes)))
            .ToList();

        Assert.NotEqual(0, products[0].DumpFlags[(3 * Pixels) + 2] & (byte)Engine.Science.DumpFlags.InvalidCounts);
        Assert.Contains(products[0].TaStar, float.IsFinite);
        Assert.All(products.Skip(1), p =>
        {
            Assert.Equal(products[0].TaStar, p.TaStar);
            Assert.Equal(products[0].DumpFlags, p.DumpFlags);
        });
    }

    private static (float[] TaStar, byte[] DumpFlags) Read(L1Product product)
    {
        using var file = Hdf5File.OpenRead(product.Path);
        return (file.ReadDataset<float>(L1Format.TaStarDataset), file.ReadDataset<byte>(L1Format.DumpFlagDataset));
    }

    private static SimulationTruth Simulate(TempDirectory directory) => ScanSimulator.Run(new SimulationOptions
    {
        OutputDirectory = directory.Combine("raw"),
        Scans = 1,
        Mode = ObsMode.OnTheFly,
        Pixels = Pixels,
        Channels = Channels,
        OnDumps = 7,
        OffDumps = 2,
        Noise = false,
    });
}

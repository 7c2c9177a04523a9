using Scanflow.Engine.Formats;

namespace Scanflow.Engine.Processing;

/// <summary>Calibrates one science scan into one L1 product in the calling thread: the steps of
/// <see cref="ScienceScanCalibration"/> in a loop, in blocks of <see cref="ScanChunking"/>. The library path for tools
/// and tests; the streaming engine runs the same steps as separate stages.</summary>
public static class ScienceScanCalibrator
{
    public static L1Product Calibrate(
        string sciencePath, CalibrationProducts calibration, CalibrationOptions options, string outputDirectory, DateTimeOffset createdUtc,
        long chunkBytes = ScanChunking.DefaultChunkBytes, double? fallbackPwvMm = null)
    {
        using var scan = ScienceScanCalibration.Open(sciencePath, FileChecksum.Sha256(sciencePath), outputDirectory, options, createdUtc);
        scan.Apply(calibration, fallbackPwvMm);
        var dumps = scan.Reader.Header.OnDumps;
        var perChunk = scan.DumpsPerChunk(chunkBytes);
        var buffer = new float[perChunk * scan.Reader.DumpLength];
        for (var first = 0; first < dumps; first += perChunk)
        {
            var count = Math.Min(perChunk, dumps - first);
            scan.Read(first, count, buffer);
            scan.Calibrate(first, count, buffer);
            scan.Write(first, count, buffer);
        }

        return scan.Commit();
    }
}

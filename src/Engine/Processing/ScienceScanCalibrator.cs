using System.Buffers;
using Scanflow.Engine.Formats;

namespace Scanflow.Engine.Processing;

/// <summary>Calibrates one science scan into one L1 product in the calling thread: the steps of
/// <see cref="ScienceScanCalibration"/> in a loop, in blocks of <see cref="ScanChunking"/>. The library path for tools
/// and tests; the streaming engine runs the same steps as separate stages.</summary>
public static class ScienceScanCalibrator
{
    /// <summary>Calibrates the raw science scan at <paramref name="sciencePath"/> with <paramref name="calibration"/>
    /// into an L1 product in <paramref name="outputDirectory"/>, recording <paramref name="options"/> and
    /// <paramref name="createdUtc"/>; the product appears complete under its final name or not at all.</summary>
    /// <param name="sciencePath">The raw science scan.</param>
    /// <param name="calibration">Products of a calibration scan with the same band, LO, sideband, channels and pixels;
    /// otherwise a <see cref="ScanFormatException"/> with <see cref="ScanFormatProblem.AxisMismatch"/>.</param>
    /// <param name="options">Recorded in the product; pass those <paramref name="calibration"/> was computed with.</param>
    /// <param name="outputDirectory">Where the product is written, named after the scan.</param>
    /// <param name="createdUtc">The creation time recorded in the product.</param>
    /// <param name="chunkBytes">Bytes of ON counts read, calibrated and written at a time: it bounds memory; T_A* does not depend on it.</param>
    /// <param name="fallbackPwvMm">The last good PWV of the band, used when the calibration's PWV fit failed (§2.5).</param>
    /// <returns>The product's path, SHA-256 and size.</returns>
    public static L1Product Calibrate(
        string sciencePath, CalibrationProducts calibration, CalibrationOptions options, string outputDirectory, DateTimeOffset createdUtc,
        long chunkBytes = ScanChunking.DefaultChunkBytes, double? fallbackPwvMm = null) =>
        Calibrate(
            sciencePath, calibration, options, outputDirectory, createdUtc, chunkBytes, fallbackPwvMm,
            // One calibration in, so with linear gain interpolation the product says it had C₁ alone (§7.10).
            options.GainInterpolation == GainInterpolation.Linear
                ? new SecondCalibration(null, $"ScienceScanCalibrator.Calibrate was given one calibration; calibrated with scan {calibration.Header.ScanId} alone")
                : null);

    /// <summary><see cref="Calibrate(string, CalibrationProducts, CalibrationOptions, string, DateTimeOffset, long, double?)"/>
    /// with <paramref name="gain"/>: for linear gain interpolation, C₂ or why there is none.</summary>
    internal static L1Product Calibrate(
        string sciencePath, CalibrationProducts calibration, CalibrationOptions options, string outputDirectory, DateTimeOffset createdUtc,
        long chunkBytes, double? fallbackPwvMm, SecondCalibration? gain)
    {
        using var scan = ScienceScanCalibration.Open(sciencePath, FileChecksum.Sha256(sciencePath), outputDirectory, options, createdUtc);
        scan.Apply(calibration, fallbackPwvMm, gain);
        var buffer = ArrayPool<float>.Shared.Rent(scan.BlockLength(chunkBytes));
        try
        {
            foreach (var block in scan.Blocks(chunkBytes))
            {
                scan.Read(block, buffer);
                scan.Calibrate(block, buffer);
                scan.Write(block, buffer);
            }

            return scan.Commit();
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }
}

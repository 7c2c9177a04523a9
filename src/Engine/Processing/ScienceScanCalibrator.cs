using System.Buffers;
using Scanflow.Engine.Formats;

namespace Scanflow.Engine.Processing;

/// <summary>Calibrates one science scan into one L1 product, block of dumps by block of dumps, in the calling thread.
/// The streaming engine runs the same steps as separate stages; this is the library path for tools and tests.</summary>
public static class ScienceScanCalibrator
{
    /// <summary>Default block size: about 32 MiB of counts, at least one dump.</summary>
    public const long DefaultBlockBytes = 32L << 20;

    public static L1Product Calibrate(
        string sciencePath, CalibrationProducts calibration, CalibrationOptions options, string outputDirectory, DateTimeOffset createdUtc,
        long blockBytes = DefaultBlockBytes, double? fallbackPwvMm = null)
    {
        var inputSha256 = FileChecksum.Sha256(sciencePath);
        using var reader = ScienceScanReader.Open(sciencePath);
        var context = ScienceScanContext.Create(reader, calibration, fallbackPwvMm);
        var header = reader.Header;
        var finalPath = L1FileNaming.PathFor(outputDirectory, header);
        using var writer = L1Writer.Create(finalPath, L1ContentBuilder.Build(context, options, inputSha256, createdUtc));

        var length = reader.DumpLength;
        var blockDumps = (int)Math.Clamp(blockBytes / header.DumpBytes, 1, header.OnDumps);
        blockDumps = Math.Max(writer.ChunkDumps, blockDumps / writer.ChunkDumps * writer.ChunkDumps);
        var on = ArrayPool<float>.Shared.Rent(blockDumps * length);
        var ta = ArrayPool<float>.Shared.Rent(blockDumps * length);
        var scratch = ArrayPool<float>.Shared.Rent(length + header.Channels);
        try
        {
            for (var first = 0; first < header.OnDumps; first += blockDumps)
            {
                var count = Math.Min(blockDumps, header.OnDumps - first);
                reader.ReadOnDumps(first, count, on);
                context.CalibrateDumps(first, count, on, ta, scratch);
                writer.WriteDumps(first, count, ta);
            }

            return writer.Commit();
        }
        finally
        {
            ArrayPool<float>.Shared.Return(on);
            ArrayPool<float>.Shared.Return(ta);
            ArrayPool<float>.Shared.Return(scratch);
        }
    }
}

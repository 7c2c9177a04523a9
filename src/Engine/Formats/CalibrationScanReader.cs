using System.Buffers;
using System.Numerics.Tensors;
using Scanflow.Engine.Formats.Hdf5;
using Scanflow.Engine.Model;

namespace Scanflow.Engine.Formats;

/// <summary>Reads a calibration scan and averages each load over its dumps, block by block, so a long load never has to
/// fit in memory.</summary>
internal static class CalibrationScanReader
{
    /// <summary>Fraction of non-finite counts in a load above which the load is rejected rather than flagged per channel.</summary>
    public const double MaxNonFiniteFraction = 0.5;

    public static CalibrationScanData Read(string path, long blockBytes = 32 << 20)
    {
        using var scan = RawScanFile.Open(path);
        if (scan.Header.Kind != ScanKind.Calibration)
        {
            throw new ScanFormatException(ScanFormatProblem.InvalidValue, path, $"/ attribute '{RawFormat.KindAttribute}'", "is 'science'; expected a calibration scan ('cal')");
        }

        // One pooled block buffer serves all three loads (at CHAI's shape 32 MiB, which used to be allocated per load).
        float[]? buffer = null;
        try
        {
            var hot = Average(scan, RawFormat.HotGroup, blockBytes, ref buffer, out _);
            var cold = Average(scan, RawFormat.ColdGroup, blockBytes, ref buffer, out _);
            var sky = Average(scan, RawFormat.SkyGroup, blockBytes, ref buffer, out var skyIntegration);
            return new CalibrationScanData(scan.Header, scan.IntermediateFrequencyHz, scan.PixelIds, hot, cold, sky, skyIntegration, SkyMeanMjd(scan));
        }
        catch (Hdf5Exception e)
        {
            throw new ScanFormatException(ScanFormatProblem.Unreadable, path, e.ObjectPath ?? "/", e.Message, e);
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<float>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>The mean MJD of the sky dumps, where §7.10 places the calibration; NaN when a time is not finite, which
    /// only gain interpolation needs (it then calibrates with C₁ alone and says why).</summary>
    private static double SkyMeanMjd(RawScanFile scan)
    {
        using var group = scan.File.OpenGroup(RawFormat.SkyGroup);
        return group.ReadDataset<double>(RawFormat.MjdDataset).Average();
    }

    /// <summary>The mean of one load over its dumps, read in blocks of about <paramref name="blockBytes"/> into
    /// <paramref name="buffer"/>, which is rented (or rented larger) when it cannot hold a block.</summary>
    private static double[] Average(RawScanFile scan, string load, long blockBytes, ref float[]? buffer, out double totalIntegrationSeconds)
    {
        using var group = scan.File.OpenGroup(load);
        using var counts = group.OpenDataset(RawFormat.CountsDataset, ChunkCache.BytesFor(scan.Header));
        var header = scan.Header;
        var dumps = (int)counts.Dimensions[0];
        var dumpLength = header.Pixels * header.Channels;
        var blockDumps = (int)Math.Clamp(blockBytes / header.DumpBytes, 1, dumps);
        if (buffer is null || buffer.Length < blockDumps * dumpLength)
        {
            if (buffer is not null)
            {
                ArrayPool<float>.Shared.Return(buffer);
            }

            buffer = ArrayPool<float>.Shared.Rent(blockDumps * dumpLength);
        }

        var sum = new double[dumpLength];
        var zeroFilled = new bool[header.Pixels];
        int firstZeroFilled = -1, lastZeroFilled = -1;
        long nonFinite = 0;
        for (var first = 0; first < dumps; first += blockDumps)
        {
            var n = Math.Min(blockDumps, dumps - first);
            var block = buffer.AsSpan(0, n * dumpLength);
            counts.Read<float>(block, [first, 0, 0], [n, header.Pixels, header.Channels]);
            for (var d = 0; d < n; d++)
            {
                var dump = block.Slice(d * dumpLength, dumpLength);
                if (FlagZeroFilledPixels(dump, header.Channels, zeroFilled))
                {
                    firstZeroFilled = firstZeroFilled < 0 ? first + d : firstZeroFilled;
                    lastZeroFilled = first + d;
                }

                for (var i = 0; i < dumpLength; i++)
                {
                    var value = dump[i];
                    if (!float.IsFinite(value))
                    {
                        nonFinite++;
                    }

                    sum[i] += value;
                }
            }
        }

        var fraction = nonFinite / ((double)dumps * dumpLength);
        if (fraction > MaxNonFiniteFraction)
        {
            throw new ScanFormatException(
                ScanFormatProblem.NonFiniteData, header.FilePath, counts.ObjectPath,
                $"{fraction:P0} of the {load} load counts are NaN or infinite; expected finite counts (a load with at most {MaxNonFiniteFraction:P0} bad values is flagged per channel instead)");
        }

        if (zeroFilled.All(zero => zero))
        {
            throw new ScanFormatException(
                ScanFormatProblem.NonFiniteData, header.FilePath, counts.ObjectPath,
                $"every pixel has a dump whose counts are all zero (among dumps {firstZeroFilled}–{lastZeroFilled}); expected measured counts, so the file may be zero-filled or half-written");
        }

        for (var i = 0; i < dumpLength; i++)
        {
            sum[i] /= dumps;
        }

        // A pixel with an all-zero dump has no usable average: NaN, so the load solution flags all its channels (§7.4).
        for (var p = 0; p < zeroFilled.Length; p++)
        {
            if (zeroFilled[p])
            {
                sum.AsSpan(p * header.Channels, header.Channels).Fill(double.NaN);
            }
        }

        totalIntegrationSeconds = dumps * group.ReadDoubleAttribute(RawFormat.IntegrationAttribute);
        return sum;
    }

    /// <summary>Marks each pixel whose counts in <paramref name="dump"/> are all zero; true when there was one.</summary>
    private static bool FlagZeroFilledPixels(ReadOnlySpan<float> dump, int channels, bool[] zeroFilled)
    {
        var any = false;
        for (var p = 0; p < zeroFilled.Length; p++)
        {
            if (TensorPrimitives.MaxMagnitude(dump.Slice(p * channels, channels)) == 0f)
            {
                zeroFilled[p] = true;
                any = true;
            }
        }

        return any;
    }
}

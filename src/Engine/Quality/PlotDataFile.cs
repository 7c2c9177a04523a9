using System.Runtime.InteropServices;
using System.Text;
using Scanflow.Engine.Formats;
using Scanflow.Engine.Model;

namespace Scanflow.Engine.Quality;

/// <summary>
/// <c>scan_&lt;id&gt;_&lt;BAND&gt;.plotdata</c>: what a scan's plots are drawn from (<see cref="ScanQuality"/>, a few
/// hundred KiB at CHAI's shape), published beside its L1 file before the L1 file itself. The plots are drawn after the
/// product is recorded, off the calibration's path; while this file exists they are still to be drawn, and a run that
/// restarts after a crash draws them from it. Private to Scanflow: the layout may change with any engine version (a
/// file it cannot read costs the plots, never the product).
/// </summary>
internal static class PlotDataFile
{
    public const string Suffix = ".plotdata";

    private static readonly byte[] Magic = "SFPLOT01"u8.ToArray();

    public static string PathFor(string l1Path) => SidecarFile.PathFor(l1Path, Suffix);

    /// <summary>Writes <paramref name="quality"/> beside <paramref name="l1Path"/> (temporary name, synced, renamed).</summary>
    public static string Publish(ScanQuality quality, string l1Path)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            Write(writer, quality);
        }

        var path = PathFor(l1Path);
        SidecarFile.Write(path, buffer.ToArray());
        return path;
    }

    /// <summary>Reads a file written by <see cref="Publish"/>; throws <see cref="InvalidDataException"/> naming the file
    /// when it is not one, is cut short, or has bytes left over.</summary>
    public static ScanQuality Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        try
        {
            using var reader = new BinaryReader(new MemoryStream(bytes), Encoding.UTF8);
            if (!reader.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic))
            {
                throw new InvalidDataException("it does not start with the plot-data signature");
            }

            var quality = ReadQuality(reader);
            if (reader.BaseStream.Position != bytes.Length)
            {
                throw new InvalidDataException($"{bytes.Length - reader.BaseStream.Position} bytes follow the plot data");
            }

            return quality;
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException or ArgumentException or OverflowException)
        {
            throw new InvalidDataException($"{path}: not readable plot data ({e.Message})", e);
        }
    }

    private static void Write(BinaryWriter writer, ScanQuality q)
    {
        writer.Write(Magic);
        writer.Write(q.ScanId);
        writer.Write((int)q.Band);
        writer.Write((int)q.Mode);
        writer.Write(q.Source);
        Array(writer, q.CalibrationScanIds.ToArray());
        foreach (var value in (double[])[q.PwvMm, q.PwvErrorMm, q.AtmosphereFitRmsK])
        {
            writer.Write(value);
        }

        writer.Write(q.AtmosphereFitStatus);
        foreach (var value in (double[])[q.MeanAirmass, q.MinAirmass, q.MaxAirmass])
        {
            writer.Write(value);
        }

        writer.Write(q.Dumps);
        Array(writer, q.DumpsFlaggedByBit);
        Array(writer, q.ChannelFractionFlaggedByBit);
        writer.Write(q.ChannelFractionFlagged);
        writer.Write(q.SuspectRadiometerRatio);
        writer.Write(q.Pixels.Count);
        foreach (var p in q.Pixels)
        {
            writer.Write(p.PixelId);
            writer.Write(p.MedianSystemTemperatureK);
            writer.Write(p.MedianReceiverTemperatureK);
            writer.Write(p.FlaggedChannelFraction);
            writer.Write(p.RadiometerRatio);
            writer.Write(p.Suspect);
        }

        Array(writer, q.LineFrequencyGHz);
        Array(writer, q.SystemTemperatureLines);
        Array(writer, q.MeanTaStarLines);
        Array(writer, q.Waterfall);
        writer.Write(q.WaterfallColumns);
        Array(writer, q.WaterfallFrequencyGHz);
        Array(writer, q.FitFrequencyGHz);
        Array(writer, q.FitMeasuredSkyK);
        Array(writer, q.FitModelSkyK);
    }

    private static ScanQuality ReadQuality(BinaryReader reader) => new()
    {
        ScanId = reader.ReadInt64(),
        Band = Defined<Band>(reader.ReadInt32()),
        Mode = Defined<ObsMode>(reader.ReadInt32()),
        Source = reader.ReadString(),
        CalibrationScanIds = Array<long>(reader),
        PwvMm = reader.ReadDouble(),
        PwvErrorMm = reader.ReadDouble(),
        AtmosphereFitRmsK = reader.ReadDouble(),
        AtmosphereFitStatus = reader.ReadString(),
        MeanAirmass = reader.ReadDouble(),
        MinAirmass = reader.ReadDouble(),
        MaxAirmass = reader.ReadDouble(),
        Dumps = reader.ReadInt32(),
        DumpsFlaggedByBit = Array<int>(reader),
        ChannelFractionFlaggedByBit = Array<double>(reader),
        ChannelFractionFlagged = reader.ReadDouble(),
        SuspectRadiometerRatio = reader.ReadDouble(),
        Pixels = [.. Enumerable.Range(0, Count(reader, sizeof(int) + (4 * sizeof(double)) + sizeof(bool))).Select(_ => new PixelQuality(
            reader.ReadInt32(), reader.ReadDouble(), reader.ReadDouble(), reader.ReadDouble(), reader.ReadDouble(), reader.ReadBoolean()))],
        LineFrequencyGHz = Array<double>(reader),
        SystemTemperatureLines = Array<float>(reader),
        MeanTaStarLines = Array<float>(reader),
        Waterfall = Array<float>(reader),
        WaterfallColumns = reader.ReadInt32(),
        WaterfallFrequencyGHz = Array<double>(reader),
        FitFrequencyGHz = Array<double>(reader),
        FitMeasuredSkyK = Array<double>(reader),
        FitModelSkyK = Array<double>(reader),
    };

    private static void Array<T>(BinaryWriter writer, T[] values)
        where T : unmanaged
    {
        writer.Write(values.Length);
        writer.Write(MemoryMarshal.AsBytes(values.AsSpan()));
    }

    private static T[] Array<T>(BinaryReader reader)
        where T : unmanaged
    {
        var values = new T[Count(reader, Marshal.SizeOf<T>())];
        var bytes = MemoryMarshal.AsBytes(values.AsSpan());
        if (reader.Read(bytes) != bytes.Length)
        {
            throw new EndOfStreamException("an array is cut short");
        }

        return values;
    }

    /// <summary>A count that the rest of the file can hold at <paramref name="size"/> bytes an element.</summary>
    private static int Count(BinaryReader reader, int size)
    {
        var count = reader.ReadInt32();
        if (count < 0 || (long)count * size > reader.BaseStream.Length - reader.BaseStream.Position)
        {
            throw new InvalidDataException($"a count of {count} does not fit the file");
        }

        return count;
    }

    private static T Defined<T>(int value)
        where T : struct, Enum =>
        Enum.IsDefined((T)(object)value) ? (T)(object)value : throw new InvalidDataException($"{value} is not a {typeof(T).Name}");
}

using Scanflow.Engine.Formats.Hdf5;
using Scanflow.Engine.Model;
using static Scanflow.Engine.Formats.ScanFileAccess;

namespace Scanflow.Engine.Formats;

/// <summary>An open chai-raw v1 file whose root attributes and axes have been validated.</summary>
internal sealed class RawScanFile : IDisposable
{
    private RawScanFile(Hdf5File file, RawScanHeader header, double[] intermediateFrequencyHz, int[] pixelIds)
    {
        File = file;
        Header = header;
        IntermediateFrequencyHz = intermediateFrequencyHz;
        PixelIds = pixelIds;
    }

    public RawScanHeader Header { get; }

    public double[] IntermediateFrequencyHz { get; }

    public int[] PixelIds { get; }

    internal Hdf5File File { get; }

    /// <summary>Opens and validates a raw scan; every defect becomes a <see cref="ScanFormatException"/>.</summary>
    public static RawScanFile Open(string path)
    {
        RequireReadable(path);
        Hdf5File file;
        try
        {
            file = Hdf5File.OpenRead(path);
        }
        catch (Hdf5Exception e)
        {
            // The HDF5 error stack stays in the inner exception, for a debug log: the sentence says what matters.
            throw new ScanFormatException(
                ScanFormatProblem.Unreadable, path, "/", "cannot be opened as HDF5 (truncated, still being written, or not an HDF5 file)", e);
        }

        try
        {
            return Validate(file, path);
        }
        catch (Hdf5Exception e)
        {
            file.Dispose();
            throw new ScanFormatException(ScanFormatProblem.Unreadable, path, e.ObjectPath ?? "/", e.Message, e);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Reads only the header (attributes and axis lengths) and closes the file.</summary>
    public static RawScanHeader ReadHeader(string path)
    {
        using var scan = Open(path);
        return scan.Header;
    }

    public void Dispose() => File.Dispose();

    /// <summary>Tells a missing, forbidden or broken file from one that is readable but not (yet) valid HDF5, which the
    /// HDF5 library reports alike. Only a regular file is opened: opening a FIFO would block until some writer came.</summary>
    private static void RequireReadable(string path)
    {
        if (FileNode.NotRegular(path) is { } notRegular)
        {
            throw new ScanFormatException(ScanFormatProblem.Unreadable, path, "/", notRegular + "; only regular files are read as scans");
        }

        string? problem;
        try
        {
            using var probe = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1);
            problem = null;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            problem = new FileInfo(path).LinkTarget is { } target
                ? $"is a symbolic link to {target}, which does not exist"
                : "file does not exist";
        }
        catch (UnauthorizedAccessException)
        {
            problem = "cannot be read: permission denied (give the user running scanflow read access)";
        }
        catch (IOException e)
        {
            problem = $"cannot be read: {e.Message}";
        }

        if (problem is not null)
        {
            throw new ScanFormatException(ScanFormatProblem.Unreadable, path, "/", problem);
        }
    }

    private static RawScanFile Validate(Hdf5File file, string path)
    {
        var format = RequireString(file, RawFormat.FormatAttribute);
        if (format != RawFormat.Name)
        {
            throw Invalid(file, RawFormat.FormatAttribute, $"value '{format}' is not a raw scan; expected '{RawFormat.Name}'");
        }

        var version = RequireInt64(file, RawFormat.FormatVersionAttribute);
        if (version != RawFormat.Version)
        {
            throw Invalid(file, RawFormat.FormatVersionAttribute, $"version {version} is not supported; this engine reads version {RawFormat.Version}");
        }

        var kind = RequireEnum<ScanKind>(file, RawFormat.KindAttribute, ModelNames.TryParseKind, "'cal' or 'science'");
        double[] intermediate;
        using (var ifDataset = RequireDataset(file, RawFormat.IntermediateFrequencyDataset, [null], floatingPoint: true))
        {
            intermediate = ifDataset.ReadAll<double>();
        }

        if (intermediate.Length < 2 || intermediate.Any(f => !double.IsFinite(f)))
        {
            throw new ScanFormatException(
                ScanFormatProblem.InvalidValue, path, "/" + RawFormat.IntermediateFrequencyDataset, "expected at least 2 finite channel frequencies");
        }

        int[] pixels;
        using (var pixelDataset = RequireDataset(file, RawFormat.PixelIdDataset, [null], floatingPoint: false))
        {
            pixels = pixelDataset.ReadAll<int>();
        }

        var header = new RawScanHeader
        {
            FilePath = path,
            ScanId = RequireInt64(file, RawFormat.ScanIdAttribute),
            Kind = kind,
            Band = RequireEnum<Band>(file, RawFormat.BandAttribute, ModelNames.TryParseBand, "'LFA' or 'HFA'"),
            LoFrequencyHz = RequireDouble(file, RawFormat.LoFrequencyAttribute, v => v > 0, "a positive frequency in Hz"),
            Sideband = RequireEnum<Sideband>(file, RawFormat.SidebandAttribute, ModelNames.TryParseSideband, "'USB' or 'LSB'"),
            SidebandGainRatio = RequireDouble(file, RawFormat.SidebandGainRatioAttribute, v => v >= 0 && double.IsFinite(v), "G_i/G_s ≥ 0"),
            ForwardEfficiency = RequireDouble(file, RawFormat.ForwardEfficiencyAttribute, v => v > 0 && v <= 1, "0 < η_f ≤ 1"),
            AmbientTemperatureK = RequireDouble(file, RawFormat.AmbientTemperatureAttribute, v => v > 100 && v < 400, "kelvin between 100 and 400"),
            PressureHpa = RequireDouble(file, RawFormat.PressureAttribute, v => v > 0 && double.IsFinite(v), "a positive pressure in hPa"),
            StartMjd = RequireDouble(file, RawFormat.StartMjdAttribute, double.IsFinite, "a finite MJD"),
            Source = RequireString(file, RawFormat.SourceAttribute),
            Project = RequireString(file, RawFormat.ProjectAttribute),
            ChannelEnbwHz = OptionalDouble(file, RawFormat.ChannelEnbwAttribute, v => v > 0 && double.IsFinite(v), "a positive bandwidth in Hz"),
            Pixels = pixels.Length,
            Channels = intermediate.Length,
        };

        header = kind == ScanKind.Calibration ? ValidateCalibration(file, header) : ValidateScience(file, header);
        return new RawScanFile(file, header, intermediate, pixels);
    }

    private static RawScanHeader ValidateCalibration(Hdf5File file, RawScanHeader header)
    {
        foreach (var load in new[] { RawFormat.HotGroup, RawFormat.ColdGroup, RawFormat.SkyGroup })
        {
            using var group = RequireGroup(file, load);
            RequireDumps(group, header, withPointing: false);
        }

        var hot = RequireDouble(file, RawFormat.HotTemperatureAttribute, v => v > 0 && v < 1000, "kelvin between 0 and 1000");
        var cold = RequireDouble(file, RawFormat.ColdTemperatureAttribute, v => v > 0 && v < hot, "kelvin between 0 and t_hot_k");
        return header with
        {
            HotTemperatureK = hot,
            ColdTemperatureK = cold,
            ElevationDeg = RequireDouble(file, RawFormat.ElevationAttribute, v => v > 0 && v <= 90, "degrees in (0, 90]"),
        };
    }

    private static RawScanHeader ValidateScience(Hdf5File file, RawScanHeader header)
    {
        var mode = RequireEnum<ObsMode>(file, RawFormat.ObsModeAttribute, ModelNames.TryParseObsMode, "'TP' or 'OTF'");
        int off, on;
        using (var group = RequireGroup(file, RawFormat.OffGroup))
        {
            off = RequireDumps(group, header, withPointing: false);
        }

        double lastOn;
        using (var group = RequireGroup(file, RawFormat.OnGroup))
        {
            on = RequireDumps(group, header, withPointing: true);
            lastOn = on == 0 ? double.NaN : group.ReadDataset<double>(RawFormat.MjdDataset).Max();
        }

        return header with { ObsMode = mode, OffDumps = off, OnDumps = on, LastOnMjd = lastOn };
    }

    /// <summary>Checks counts [n, P, K], mjd [n] (and elevation, offsets for science groups); returns n.</summary>
    private static int RequireDumps(Hdf5Group group, RawScanHeader header, bool withPointing)
    {
        int dumps;
        using (var counts = RequireDataset(group, RawFormat.CountsDataset, [null, header.Pixels, header.Channels], floatingPoint: true))
        {
            dumps = checked((int)counts.Dimensions[0]);
        }

        RequireDataset(group, RawFormat.MjdDataset, [dumps], floatingPoint: true).Dispose();
        if (header.Kind == ScanKind.Science)
        {
            RequireDataset(group, RawFormat.ElevationDataset, [dumps], floatingPoint: true).Dispose();
        }

        if (withPointing)
        {
            RequireDataset(group, RawFormat.OffsetDataset, [dumps, 2], floatingPoint: true).Dispose();
        }

        RequireDouble(group, RawFormat.IntegrationAttribute, v => v > 0 && double.IsFinite(v), "a positive integration time in seconds");
        return dumps;
    }
}

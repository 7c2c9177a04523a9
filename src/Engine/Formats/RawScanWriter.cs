using Scanflow.Engine.Formats.Hdf5;
using Scanflow.Engine.Model;

namespace Scanflow.Engine.Formats;

/// <summary>Writes a chai-raw v1 scan (used by the simulator and by tests); the file is written as
/// <c>&lt;name&gt;.part</c> and renamed on <see cref="Commit"/> so a watcher never sees it half-written.</summary>
internal sealed class RawScanWriter : IDisposable
{
    public const string PartialSuffix = ".part";

    private readonly Hdf5File _file;
    private readonly RawScanHeader _header;
    private readonly RawLayout _layout;
    private readonly bool _fixedLengthStrings;
    private bool _committed;

    private RawScanWriter(Hdf5File file, RawScanHeader header, RawLayout layout, bool fixedLengthStrings)
    {
        _file = file;
        _header = header;
        _layout = layout;
        _fixedLengthStrings = fixedLengthStrings;
    }

    public static RawScanWriter Create(
        RawScanHeader header, double[] intermediateFrequencyHz, int[] pixelIds, RawLayout layout, bool fixedLengthStrings = false)
    {
        var partial = header.FilePath + PartialSuffix;
        File.Delete(partial);
        var writer = new RawScanWriter(Hdf5File.Create(partial), header, layout, fixedLengthStrings);
        try
        {
            writer.WriteRoot(intermediateFrequencyHz, pixelIds);
            return writer;
        }
        catch
        {
            writer.Dispose();
            throw;
        }
    }

    /// <summary>Creates a dump group with its time (and for science scans elevation and offset) axes; counts follow
    /// through the returned writer.</summary>
    public RawDumpWriter CreateDumpGroup(string name, double integrationSeconds, double[] mjd, double[]? elevationDeg = null, double[]? offsetArcsec = null)
    {
        using var group = _file.CreateGroup(name);
        group.WriteAttribute(RawFormat.IntegrationAttribute, integrationSeconds);
        group.WriteDataset<double>(RawFormat.MjdDataset, mjd, [mjd.Length]);
        if (elevationDeg is not null)
        {
            group.WriteDataset<double>(RawFormat.ElevationDataset, elevationDeg, [elevationDeg.Length]);
        }

        if (offsetArcsec is not null)
        {
            group.WriteDataset<double>(RawFormat.OffsetDataset, offsetArcsec, [offsetArcsec.Length / 2, 2]);
        }

        long[] dims = [mjd.Length, _header.Pixels, _header.Channels];
        long[] chunk = [1, _header.Pixels, _header.Channels];
        var storage = _layout switch
        {
            RawLayout.Chunked => Hdf5Storage.Chunked(chunk),
            RawLayout.Gzip => Hdf5Storage.Gzip(chunk, level: 4, shuffle: true),
            _ => Hdf5Storage.Contiguous,
        };
        return new RawDumpWriter(group.CreateDataset<float>(RawFormat.CountsDataset, dims, storage));
    }

    public void Commit()
    {
        _file.Flush();
        _file.Dispose();
        File.Move(_header.FilePath + PartialSuffix, _header.FilePath, overwrite: true);
        _committed = true;
    }

    public void Dispose()
    {
        _file.Dispose();
        if (!_committed)
        {
            File.Delete(_header.FilePath + PartialSuffix);
        }
    }

    private void WriteRoot(double[] intermediateFrequencyHz, int[] pixelIds)
    {
        var h = _header;
        WriteString(RawFormat.FormatAttribute, RawFormat.Name);
        _file.WriteAttribute(RawFormat.FormatVersionAttribute, RawFormat.Version);
        _file.WriteAttribute(RawFormat.ScanIdAttribute, h.ScanId);
        WriteString(RawFormat.KindAttribute, ModelNames.Of(h.Kind));
        WriteString(RawFormat.BandAttribute, ModelNames.Of(h.Band));
        _file.WriteAttribute(RawFormat.LoFrequencyAttribute, h.LoFrequencyHz);
        WriteString(RawFormat.SidebandAttribute, ModelNames.Of(h.Sideband));
        _file.WriteAttribute(RawFormat.SidebandGainRatioAttribute, h.SidebandGainRatio);
        _file.WriteAttribute(RawFormat.ForwardEfficiencyAttribute, h.ForwardEfficiency);
        _file.WriteAttribute(RawFormat.AmbientTemperatureAttribute, h.AmbientTemperatureK);
        _file.WriteAttribute(RawFormat.PressureAttribute, h.PressureHpa);
        _file.WriteAttribute(RawFormat.StartMjdAttribute, h.StartMjd);
        WriteString(RawFormat.SourceAttribute, h.Source);
        WriteString(RawFormat.ProjectAttribute, h.Project);
        if (h.ChannelEnbwHz is { } enbw)
        {
            _file.WriteAttribute(RawFormat.ChannelEnbwAttribute, enbw);
        }

        if (h.Kind == ScanKind.Calibration)
        {
            _file.WriteAttribute(RawFormat.HotTemperatureAttribute, h.HotTemperatureK);
            _file.WriteAttribute(RawFormat.ColdTemperatureAttribute, h.ColdTemperatureK);
            _file.WriteAttribute(RawFormat.ElevationAttribute, h.ElevationDeg);
        }
        else
        {
            WriteString(RawFormat.ObsModeAttribute, ModelNames.Of(h.ObsMode ?? throw new InvalidOperationException("A science scan needs an observing mode.")));
        }

        _file.WriteDataset<double>(RawFormat.IntermediateFrequencyDataset, intermediateFrequencyHz, [intermediateFrequencyHz.Length]);
        _file.WriteDataset<int>(RawFormat.PixelIdDataset, pixelIds, [pixelIds.Length]);
    }

    private void WriteString(string name, string value)
    {
        if (_fixedLengthStrings)
        {
            _file.WriteFixedLengthAttribute(name, value);
        }
        else
        {
            _file.WriteAttribute(name, value);
        }
    }
}

using Scanflow.Engine.Formats.Hdf5;

namespace Scanflow.Engine.Formats;

/// <summary>Writes one L1 product: everything small at creation, <c>/ta_star</c> appended by blocks of dumps, then
/// flushed, synced and renamed into place so the final name never shows a torn file.</summary>
internal sealed class L1Writer : IDisposable
{
    /// <summary>Target size of one <c>/ta_star</c> chunk; a dump larger than this is one chunk.</summary>
    public const long TargetChunkBytes = 4L << 20;

    private readonly string _temporaryPath;
    private readonly int _dumpLength;
    private Hdf5File? _file;
    private Hdf5Dataset? _taStar;
    private Hdf5Dataset? _dumpFlags;
    private bool _committed;

    private L1Writer(string finalPath, L1Content content)
    {
        FinalPath = finalPath;
        _temporaryPath = L1FileNaming.TemporaryPath(finalPath);
        _dumpLength = content.Pixels * content.Channels;
        Dumps = content.Dumps;
        ChunkDumps = (int)Math.Clamp(TargetChunkBytes / ((long)_dumpLength * sizeof(float)), 1, Math.Max(1, content.Dumps));
    }

    public string FinalPath { get; }

    public int Dumps { get; }

    /// <summary>Dumps per HDF5 chunk of <c>/ta_star</c>; blocks that are multiples of it write whole chunks.</summary>
    public int ChunkDumps { get; }

    public static L1Writer Create(string finalPath, L1Content content)
    {
        if (File.Exists(finalPath))
        {
            throw new IOException($"{finalPath}: an L1 product already exists under this name; remove it or write to another output directory");
        }

        var writer = new L1Writer(finalPath, content);
        try
        {
            writer.WriteSkeleton(content);
            return writer;
        }
        catch
        {
            writer.Dispose();
            throw;
        }
    }

    /// <summary>Writes T_A* of <paramref name="block"/> and its final dump flags (<paramref name="dumpFlags"/>: the
    /// block's dumps × pixels; bit 2 is only known once a dump's counts were seen).</summary>
    public void Write(CountsBlock block, ReadOnlySpan<float> taStar, ReadOnlySpan<byte> dumpFlags)
    {
        var dataset = _taStar ?? throw new InvalidOperationException("The L1 file is already committed or abandoned.");
        var channels = (int)dataset.Dimensions[2];
        dataset.Write(taStar[..block.Length(channels)], [block.FirstDump, block.FirstPixel, 0], [block.Dumps, block.Pixels, channels]);
        _dumpFlags!.Write(dumpFlags[..(block.Dumps * block.Pixels)], [block.FirstDump, block.FirstPixel], [block.Dumps, block.Pixels]);
    }

    /// <summary>Closes the HDF5 file: everything is written, still under the temporary name and not yet synced.</summary>
    public void Close()
    {
        CloseDatasets();
        _file?.Flush();
        _file?.Dispose();
        _file = null;
    }

    /// <summary>Closes (if not yet), syncs to disk, renames into place and checksums the product.</summary>
    public L1Product Commit()
    {
        Close();
        L1ProductFiles.Publish(FinalPath);
        _committed = true;
        return new L1Product(FinalPath, FileChecksum.Sha256(FinalPath), new FileInfo(FinalPath).Length);
    }

    /// <summary>Without a commit, the temporary file is removed: a failed scan leaves nothing behind.</summary>
    public void Dispose()
    {
        if (!_committed && _file is not null)
        {
            L1ProductFiles.Truncate(FinalPath);
        }

        CloseDatasets();
        _file?.Dispose();
        _file = null;
        if (!_committed)
        {
            L1ProductFiles.RemoveTemporary(FinalPath);
        }
    }

    private void WriteSkeleton(L1Content c)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(_temporaryPath))!);
        L1ProductFiles.RemoveTemporary(FinalPath);
        _file = Hdf5File.Create(_temporaryPath);
        WriteAttributes(_file, c.Attributes);

        long pixels = c.Pixels, channels = c.Channels, dumps = c.Dumps;
        _file.WriteDataset<double>(L1Format.FrequencyDataset, c.FrequencyHz, [channels]);
        _file.WriteDataset<double>(L1Format.ImageFrequencyDataset, c.ImageFrequencyHz, [channels]);
        _file.WriteDataset<int>(L1Format.PixelIdDataset, c.PixelIds, [pixels]);
        _file.WriteDataset<double>(L1Format.MjdDataset, c.Mjd, [dumps]);
        _file.WriteDataset<double>(L1Format.ElevationDataset, c.ElevationDeg, [dumps]);
        _file.WriteDataset<double>(L1Format.OffsetDataset, c.OffsetArcsec, [dumps, 2]);
        _file.WriteDataset<float>(L1Format.SystemTemperatureDataset, c.SystemTemperatureK, [pixels, channels]);
        _file.WriteDataset<float>(L1Format.ReceiverTemperatureDataset, c.ReceiverTemperatureK, [pixels, channels]);
        _file.WriteDataset<float>(L1Format.CalibrationTemperatureDataset, c.CalibrationTemperatureK, [pixels, channels]);
        _file.WriteDataset<float>(L1Format.SkyTemperatureDataset, c.SkyTemperatureK, [pixels, channels]);
        _file.WriteDataset<float>(L1Format.TauSignalDataset, c.TauSignal, [channels]);
        _file.WriteDataset<float>(L1Format.TauImageDataset, c.TauImage, [channels]);
        _file.WriteDataset<float>(L1Format.TransmissionSignalDataset, c.TransmissionSignal, [channels]);
        _file.WriteDataset<float>(L1Format.TransmissionImageDataset, c.TransmissionImage, [channels]);
        _file.WriteDataset<float>(L1Format.PixelPwvDataset, c.PixelPwvMm, [pixels]);
        _file.WriteDataset<byte>(L1Format.ChannelFlagDataset, c.ChannelFlags, [pixels, channels]);

        // Kept open: each block of dumps rewrites its rows once their counts were checked (bit 2).
        _dumpFlags = _file.CreateDataset<byte>(L1Format.DumpFlagDataset, [dumps, pixels], Hdf5Storage.Contiguous);
        _dumpFlags.Write<byte>(c.DumpFlags, [0, 0], [dumps, pixels]);

        // Chunked along the dump axis so readers touch whole dumps. Unfiltered, so blocks go straight to the file (the
        // binding gives unfiltered datasets no chunk cache), and not filled: every element is written, and a block that
        // covers part of a new chunk (part of a dump, or a block ending mid-chunk) then needs no fill and no read-back.
        _taStar = _file.CreateDataset<float>(L1Format.TaStarDataset, [dumps, pixels, channels], Hdf5Storage.Chunked(ChunkDumps, pixels, channels) with { NoFill = true });
    }

    private void CloseDatasets()
    {
        _taStar?.Dispose();
        _taStar = null;
        _dumpFlags?.Dispose();
        _dumpFlags = null;
    }

    private static void WriteAttributes(Hdf5File file, L1Attributes a)
    {
        file.WriteAttribute("format", L1Format.Name);
        file.WriteAttribute("format_version", L1Format.Version);
        file.WriteAttribute("scan_id", a.ScanId);
        file.WriteAttribute("band", a.Band);
        file.WriteAttribute("source", a.Source);
        file.WriteAttribute("project", a.Project);
        file.WriteAttribute("obs_mode", a.ObsMode);
        file.WriteAttribute("lo_frequency_hz", a.LoFrequencyHz);
        file.WriteAttribute("sideband", a.Sideband);
        file.WriteAttribute("calibration_scan_ids", a.CalibrationScanIds.AsSpan());
        file.WriteAttribute("pwv_mm", a.PwvMm);
        file.WriteAttribute("pwv_err_mm", a.PwvErrorMm);
        file.WriteAttribute("atm_fit_rms_k", a.AtmosphereFitRmsK);
        file.WriteAttribute("atm_fit_status", a.AtmosphereFitStatus);
        file.WriteAttribute("jmode", a.JMode);
        file.WriteAttribute("forward_efficiency", a.ForwardEfficiency);
        file.WriteAttribute("sideband_gain_ratio", a.SidebandGainRatio);
        file.WriteAttribute("atmosphere_model", a.AtmosphereModel);
        file.WriteAttribute("t_atm_k", a.AtmosphereTemperatureK);
        file.WriteAttribute("pwv_note", a.PwvNote);
        file.WriteAttribute("engine_version", a.EngineVersion);
        file.WriteAttribute("config_sha256", a.ConfigSha256);
        file.WriteAttribute("config_json", a.ConfigJson);
        file.WriteAttribute("input_sha256", a.InputSha256);
        file.WriteAttribute("calibration_input_sha256", a.CalibrationInputSha256);
        file.WriteAttribute("created_utc", a.CreatedUtc.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture));
        file.WriteAttribute("gain_interpolation", a.GainInterpolation);
        if (a.GainInterpolationNote is { } note)
        {
            file.WriteAttribute("gain_interpolation_note", note);
        }
    }
}

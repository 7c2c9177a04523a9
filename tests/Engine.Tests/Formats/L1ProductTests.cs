using System.Diagnostics;
using Scanflow.Engine.Formats;
using Scanflow.Engine.Simulation;
using Scanflow.Engine.Tests.Processing;

namespace Scanflow.Engine.Tests.Formats;

public class L1ProductTests
{
    /// <summary>Every attribute and dataset of formats.md, with the type an h5py reader sees.</summary>
    private const string ContractCheck = """
        import sys, h5py, numpy as np
        f = h5py.File(sys.argv[1], 'r')
        n_on, n_pix, n_chan = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
        problems = []
        def attr(name, kind):
            if name not in f.attrs:
                problems.append('missing attribute ' + name); return
            v = f.attrs[name]
            ok = {'str': isinstance(v, str), 'int': isinstance(v, (np.integer,)) and v.dtype == np.int64,
                  'float': isinstance(v, np.floating) and v.dtype == np.float64,
                  'int[]': isinstance(v, np.ndarray) and v.dtype == np.int64 and v.ndim == 1,
                  'str[]': isinstance(v, np.ndarray) and v.ndim == 1 and all(isinstance(s, str) for s in v)}[kind]
            if not ok: problems.append(f'attribute {name} is {type(v).__name__} {getattr(v, "dtype", "")}, expected {kind}')
        for name in ['format', 'band', 'source', 'project', 'obs_mode', 'sideband', 'atm_fit_status', 'jmode', 'atmosphere_model',
                     'engine_version', 'config_sha256', 'input_sha256', 'created_utc']:
            attr(name, 'str')
        for name in ['lo_frequency_hz', 'pwv_mm', 'pwv_err_mm', 'atm_fit_rms_k', 'forward_efficiency', 'sideband_gain_ratio']:
            attr(name, 'float')
        attr('scan_id', 'int'); attr('calibration_scan_ids', 'int[]'); attr('calibration_input_sha256', 'str[]')
        if not isinstance(f.attrs.get('format_version'), np.integer) or f.attrs['format_version'] != 1: problems.append('format_version')
        if f.attrs.get('format') != 'scanflow-l1': problems.append('format value')
        if f.attrs.get('atm_fit_status') not in ('ok', 'failed'): problems.append('atm_fit_status value')
        if f.attrs.get('jmode') not in ('planck', 'callen_welton', 'rj'): problems.append('jmode value')
        def ds(name, shape, dtype):
            if name not in f:
                problems.append('missing dataset ' + name); return None
            d = f[name]
            if d.shape != shape or d.dtype != np.dtype(dtype): problems.append(f'{name} is {d.shape} {d.dtype}, expected {shape} {dtype}')
            return d
        for name in ['frequency_hz', 'image_frequency_hz']: ds(name, (n_chan,), 'f8')
        ds('pixel_id', (n_pix,), 'i4')
        ta = ds('ta_star', (n_on, n_pix, n_chan), 'f4')
        if ta is not None and (ta.chunks is None or ta.chunks[1:] != (n_pix, n_chan)): problems.append(f'ta_star chunks {ta.chunks}, expected along the dump axis')
        for name in ['mjd', 'elevation_deg']: ds(name, (n_on,), 'f8')
        ds('offset_arcsec', (n_on, 2), 'f8')
        for name in ['tsys_k', 'trx_k', 'tcal_k', 'tsky_k']: ds(name, (n_pix, n_chan), 'f4')
        for name in ['tau_signal', 'tau_image', 'tr_signal', 'tr_image']: ds(name, (n_chan,), 'f4')
        ds('pwv_pixel_mm', (n_pix,), 'f4')
        ds('channel_flag', (n_pix, n_chan), 'u1')
        ds('dump_flag', (n_on, n_pix), 'u1')
        print('\n'.join(problems) if problems else 'ok')
        """;

    [Fact]
    public void L1_product_carries_every_formats_md_attribute_and_dataset_with_its_type()
    {
        using var store = new CalibratedStore(new SimulationOptions { OutputDirectory = "unused", Scans = 1, Pixels = 3, Channels = 128, OnDumps = 30, OffDumps = 4 });
        var product = store.Products.Values.Single();

        var verdict = PythonScript.Run(ContractCheck, product.Path, "30", "3", "128").Trim();

        Assert.Equal("ok", verdict);
        Assert.Equal(FileChecksum.Sha256(product.Path), product.Sha256);
        Assert.Equal(["scan_000002_LFA.l1.h5", "scan_000002_LFA.qa.json"], Directory.GetFiles(store.Output).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void L1_product_opens_in_h5dump()
    {
        using var store = new CalibratedStore(new SimulationOptions { OutputDirectory = "unused", Scans = 1, Pixels = 2, Channels = 64, OnDumps = 10, OffDumps = 3 });
        var start = new ProcessStartInfo("h5dump", ["-H", store.Products.Values.Single().Path]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("h5dump did not start; run ./test.sh, which installs hdf5-tools");
        var header = process.StandardOutput.ReadToEnd();
        process.WaitForExit();

        Assert.Equal(0, process.ExitCode);
        Assert.Contains("DATASET \"ta_star\"", header, StringComparison.Ordinal);
        Assert.Contains("ATTRIBUTE \"calibration_input_sha256\"", header, StringComparison.Ordinal);
    }

    [Fact]
    public void Abandoned_writer_leaves_no_file_behind()
    {
        using var store = new CalibratedStore(new SimulationOptions { OutputDirectory = "unused", Scans = 1, Pixels = 2, Channels = 64, OnDumps = 10, OffDumps = 3 });
        var product = store.Products.Values.Single();
        var content = ReadContentShape(product.Path);
        var target = Path.Combine(store.Output, "abandoned.l1.h5");

        using (var writer = L1Writer.Create(target, content))
        {
            writer.Write(new CountsBlock(0, 1, 0, 2), new float[2 * 64], new byte[2]);
            Assert.True(File.Exists(L1FileNaming.TemporaryPath(target)));
        }

        Assert.False(File.Exists(target));
        Assert.False(File.Exists(L1FileNaming.TemporaryPath(target)));
    }

    [Fact]
    public void Writer_refuses_to_replace_an_existing_product()
    {
        using var store = new CalibratedStore(new SimulationOptions { OutputDirectory = "unused", Scans = 1, Pixels = 2, Channels = 64, OnDumps = 10, OffDumps = 3 });
        var product = store.Products.Values.Single();
        var before = File.ReadAllBytes(product.Path);

        var error = Assert.Throws<IOException>(() => L1Writer.Create(product.Path, ReadContentShape(product.Path)));

        Assert.Contains(product.Path, error.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(product.Path));
    }

    /// <summary>A content record of the right shape, built from an existing product.</summary>
    private static L1Content ReadContentShape(string path)
    {
        var l1 = L1Snapshot.Read(path);
        var pk = l1.Pixels * l1.Channels;
        return new L1Content
        {
            Attributes = new L1Attributes
            {
                ScanId = 1,
                Band = "LFA",
                Source = "S",
                Project = "P",
                ObsMode = "TP",
                LoFrequencyHz = 475e9,
                Sideband = "USB",
                CalibrationScanIds = [1],
                PwvMm = 1,
                PwvErrorMm = 0.01,
                AtmosphereFitRmsK = 0.1,
                AtmosphereFitStatus = "ok",
                JMode = "planck",
                ForwardEfficiency = 0.95,
                SidebandGainRatio = 1,
                AtmosphereModel = "m",
                AtmosphereTemperatureK = 260,
                EngineVersion = "test",
                ConfigSha256 = "c",
                ConfigJson = "{}",
                InputSha256 = "i",
                CalibrationInputSha256 = ["j"],
                CreatedUtc = DateTimeOffset.UnixEpoch,
            },
            FrequencyHz = l1.FrequencyHz,
            ImageFrequencyHz = l1.FrequencyHz,
            PixelIds = [.. Enumerable.Range(1, l1.Pixels)],
            Mjd = new double[l1.Dumps],
            ElevationDeg = new double[l1.Dumps],
            OffsetArcsec = l1.OffsetArcsec,
            SystemTemperatureK = l1.Tsys,
            ReceiverTemperatureK = l1.Trx,
            CalibrationTemperatureK = l1.Tsys,
            SkyTemperatureK = l1.Tsys,
            TauSignal = l1.TauSignal,
            TauImage = l1.TauSignal,
            TransmissionSignal = l1.TrSignal,
            TransmissionImage = l1.TrSignal,
            PixelPwvMm = new float[l1.Pixels],
            ChannelFlags = new byte[pk],
            DumpFlags = l1.DumpFlag,
        };
    }
}

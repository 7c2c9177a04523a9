using System.Globalization;
using Scanflow.Engine.Formats;
using Scanflow.Engine.Model;
using Scanflow.Engine.Processing;
using Scanflow.Engine.Simulation;

namespace Scanflow.Engine.Tests.Formats;

public class RawScanReaderTests
{
    [Fact]
    public void Reader_returns_the_same_data_from_every_layout_and_string_kind()
    {
        using var directory = new TempDirectory();
        float[]? reference = null;
        foreach (var (layout, fixedStrings) in new[] { (RawLayout.Contiguous, false), (RawLayout.Chunked, true), (RawLayout.Gzip, false), (RawLayout.Gzip, true) })
        {
            var folder = directory.Combine($"{layout}-{fixedStrings}");
            var truth = ScanSimulator.Run(new SimulationOptions
            {
                OutputDirectory = folder,
                Layout = layout,
                FixedLengthStrings = fixedStrings,
                Scans = 1,
                Pixels = 3,
                Channels = 64,
                OnDumps = 20,
                OffDumps = 3,
                Seed = 5,
            });
            using var reader = ScienceScanReader.Open(Path.Combine(folder, truth.Science[0].File));
            Assert.Equal(ObsMode.TotalPower, reader.Header.ObsMode);
            Assert.Equal("SIM-5", reader.Header.Project);
            Assert.Equal(Sideband.Usb, reader.Header.Sideband);
            var block = new float[7 * reader.DumpLength];
            reader.ReadOnDumps(11, 7, block);
            reference ??= block;
            Assert.Equal(reference, block);
        }
    }

    [Fact]
    public void Reader_reads_scans_written_by_h5py()
    {
        using var directory = new TempDirectory();
        PythonScript.Run(IndependentWriter, directory.Path);

        var calibration = CalibrationScanReader.Read(directory.Combine("cal.h5"));
        Assert.Equal(ScanKind.Calibration, calibration.Header.Kind);
        Assert.Equal(Band.Hfa, calibration.Header.Band);
        Assert.Equal(Sideband.Lsb, calibration.Header.Sideband);
        Assert.Equal("CAL", calibration.Header.Source);
        Assert.Equal(812e9, calibration.Header.LoFrequencyHz);
        Assert.Equal(290.0, calibration.Header.HotTemperatureK);
        Assert.Equal(1.5, calibration.Header.ChannelEnbwHz);
        // hot counts are 1000 + 10·p + k in every dump, so their average is exactly that.
        Assert.Equal(1000 + 10 + 5, calibration.Hot[(1 * 32) + 5]);
        Assert.Equal(3 * 0.5, calibration.SkyIntegrationSeconds);

        using var science = ScienceScanReader.Open(directory.Combine("science.h5"));
        Assert.Equal(ObsMode.OnTheFly, science.Header.ObsMode);
        Assert.Equal(42, science.Header.ScanId);
        Assert.Equal("Orion KL", science.Header.Source);
        Assert.Equal(9, science.Header.OnDumps);
        var dumps = new float[2 * science.DumpLength];
        science.ReadOnDumps(4, 2, dumps);
        Assert.Equal((4 * 1000) + (10 * 2) + 7, dumps[(2 * 32) + 7]);
        Assert.Equal((5 * 1000) + (10 * 1) + 31, dumps[science.DumpLength + 32 + 31]);
        Assert.Equal(-7.5, science.OnOffsetArcsec[(2 * 3) + 1]);
        CalibrationMatch.RequireSameAxes(calibration.Axes, science);
    }

    public static TheoryData<string, ScanFormatProblem, string> Defects => new()
    {
        { "del f.attrs['t_hot_k']", ScanFormatProblem.Missing, "attribute 't_hot_k'" },
        { "del f.attrs['format_version']", ScanFormatProblem.Missing, "attribute 'format_version'" },
        { "f.attrs['band'] = 'XFA'", ScanFormatProblem.InvalidValue, "'XFA'" },
        { "f.attrs['format_version'] = 2", ScanFormatProblem.InvalidValue, "version 2" },
        { "del f['sky/mjd']; f['sky/mjd'] = np.zeros(2)", ScanFormatProblem.WrongShape, "/sky/mjd" },
        { "del f['hot/counts']; f['hot/counts'] = np.ones((5, 3, 10), 'f4')", ScanFormatProblem.WrongShape, "/hot/counts" },
        { "del f['cold']", ScanFormatProblem.Missing, "/cold" },
        { "f['hot/counts'][...] = np.nan", ScanFormatProblem.NonFiniteData, "/hot/counts" },
    };

    [Theory]
    [MemberData(nameof(Defects))]
    public void Reader_names_file_object_and_expectation_for_each_defect(string damage, ScanFormatProblem problem, string named)
    {
        using var directory = new TempDirectory();
        var truth = ScanSimulator.Run(new SimulationOptions { OutputDirectory = directory.Path, Scans = 0, Pixels = 3, Channels = 64, Noise = false });
        var path = directory.Combine(truth.Calibrations[0].File);
        PythonScript.Run($"import sys, h5py, numpy as np\nwith h5py.File(sys.argv[1], 'r+') as f:\n    {damage}\n", path);

        var error = Assert.Throws<ScanFormatException>(() => CalibrationScanReader.Read(path));
        Assert.Equal(problem, error.Problem);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_science_scan_without_ON_dumps_is_rejected_naming_its_counts_11()
    {
        using var directory = new TempDirectory();
        var truth = ScanSimulator.Run(new SimulationOptions { OutputDirectory = directory.Path, Scans = 1, Pixels = 3, Channels = 64, Noise = false });
        var path = directory.Combine(truth.Science[0].File);
        PythonScript.Run(
            "import sys, h5py\nwith h5py.File(sys.argv[1], 'r+') as f:\n    for name in ('counts', 'mjd', 'elevation_deg', 'offset_arcsec'):\n"
            + "        shape = (0,) + f['on/' + name].shape[1:]; dtype = f['on/' + name].dtype; del f['on/' + name]; f.create_dataset('on/' + name, shape, dtype)\n",
            path);

        var error = Assert.Throws<ScanFormatException>(() => ScienceScanReader.Open(path));

        Assert.Equal(ScanFormatProblem.WrongShape, error.Problem);
        // The graph cuts every scan into at least one block: a scan without ON dumps never reaches it.
        Assert.StartsWith($"{path}: /on/counts: has shape [0, 3, 64]; expected", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reader_reports_a_truncated_file_as_unreadable()
    {
        using var directory = new TempDirectory();
        var truth = ScanSimulator.Run(new SimulationOptions { OutputDirectory = directory.Path, Scans = 1, Pixels = 3, Channels = 64 });
        var path = directory.Combine(truth.Science[0].File);
        using (var stream = new FileStream(path, FileMode.Open))
        {
            stream.SetLength(stream.Length / 2);
        }

        var error = Assert.Throws<ScanFormatException>(() => ScienceScanReader.Open(path));
        Assert.Equal(ScanFormatProblem.Unreadable, error.Problem);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reader_tells_a_missing_file_and_a_broken_link_from_a_bad_one()
    {
        using var directory = new TempDirectory();
        var missing = directory.Combine("gone.h5");
        var link = directory.Combine("link.h5");
        File.CreateSymbolicLink(link, directory.Combine("nowhere", "scan.h5"));

        var gone = Assert.Throws<ScanFormatException>(() => RawScanFile.ReadHeader(missing));
        var broken = Assert.Throws<ScanFormatException>(() => RawScanFile.ReadHeader(link));

        Assert.Equal((ScanFormatProblem.Unreadable, ScanFormatProblem.Unreadable), (gone.Problem, broken.Problem));
        Assert.Equal($"{missing}: /: file does not exist", gone.Message);
        Assert.Contains("is a symbolic link to", broken.Message, StringComparison.Ordinal);
        Assert.Contains("which does not exist", broken.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reader_reports_a_file_that_is_not_hdf5()
    {
        using var directory = new TempDirectory();
        var path = directory.Combine("notes.h5");
        File.WriteAllText(path, "observing log, not a scan");

        var error = Assert.Throws<ScanFormatException>(() => RawScanFile.ReadHeader(path));
        Assert.Equal(ScanFormatProblem.Unreadable, error.Problem);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Calibration_with_other_channels_is_an_axis_mismatch_naming_both_files()
    {
        using var directory = new TempDirectory();
        var wide = ScanSimulator.Run(new SimulationOptions { OutputDirectory = directory.Combine("a"), Scans = 1, Pixels = 3, Channels = 64 });
        var narrow = ScanSimulator.Run(new SimulationOptions { OutputDirectory = directory.Combine("b"), Scans = 0, Pixels = 3, Channels = 32 });
        var calibration = CalibrationScanReader.Read(directory.Combine("b", narrow.Calibrations[0].File));
        using var science = ScienceScanReader.Open(directory.Combine("a", wide.Science[0].File));

        var error = Assert.Throws<ScanFormatException>(() => CalibrationMatch.RequireSameAxes(calibration.Axes, science));
        Assert.Equal(ScanFormatProblem.AxisMismatch, error.Problem);
        Assert.Contains(science.Header.FilePath, error.Message, StringComparison.Ordinal);
        Assert.Contains(calibration.Header.FilePath, error.Message, StringComparison.Ordinal);
        Assert.Contains("/if_frequency_hz", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reader_rejects_an_ON_elevation_outside_0_to_90_degrees()
    {
        using var directory = new TempDirectory();
        var truth = ScanSimulator.Run(new SimulationOptions { OutputDirectory = directory.Path, Scans = 1, Pixels = 2, Channels = 32, Noise = false });
        var path = directory.Combine(truth.Science[0].File);
        PythonScript.Run("import sys, h5py\nwith h5py.File(sys.argv[1], 'r+') as f:\n    f['on/elevation_deg'][3] = -5.0\n", path);

        var error = Assert.Throws<ScanFormatException>(() => ScienceScanReader.Open(path));

        Assert.Equal(ScanFormatProblem.InvalidValue, error.Problem);
        Assert.Contains("/on/elevation_deg", error.Message, StringComparison.Ordinal);
        Assert.Contains("dump 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Calibration_of_the_other_sideband_does_not_match()
    {
        using var directory = new TempDirectory();
        var truth = ScanSimulator.Run(new SimulationOptions { OutputDirectory = directory.Path, Scans = 1, Pixels = 2, Channels = 32, Noise = false });
        var calibrationPath = directory.Combine(truth.Calibrations[0].File);
        PythonScript.Run("import sys, h5py\nwith h5py.File(sys.argv[1], 'r+') as f:\n    f.attrs['sideband'] = 'LSB'\n", calibrationPath);
        var calibration = CalibrationScanReader.Read(calibrationPath);
        using var science = ScienceScanReader.Open(directory.Combine(truth.Science[0].File));

        Assert.False(CalibrationMatch.SameSetup(calibration.Header, science.Header));
        var error = Assert.Throws<ScanFormatException>(() => CalibrationMatch.RequireSameAxes(calibration.Axes, science));
        Assert.Equal(ScanFormatProblem.AxisMismatch, error.Problem);
        Assert.Contains("sideband", error.Message, StringComparison.Ordinal);
    }

    /// <summary>An independent writer: h5py with chunked+gzip+shuffle counts, fixed-length and variable-length strings,
    /// float32 and int32 attributes where we write float64 and int64.</summary>
    private static readonly string IndependentWriter = string.Create(CultureInfo.InvariantCulture, $$"""
        import sys, os, h5py, numpy as np
        out = sys.argv[1]
        P, K = 4, 32
        fixed = lambda s: np.bytes_(s)
        def common(f, kind, scan_id, source):
            f.attrs['format'] = fixed('chai-raw')
            f.attrs['format_version'] = np.int32(1)
            f.attrs['scan_id'] = np.int32(scan_id)
            f.attrs['kind'] = kind
            f.attrs['band'] = fixed('HFA')
            f.attrs['lo_frequency_hz'] = 812e9
            f.attrs['sideband'] = 'LSB'
            f.attrs['sideband_gain_ratio'] = np.float32(1.0)
            f.attrs['forward_efficiency'] = 0.95
            f.attrs['t_amb_k'] = 270.0
            f.attrs['pressure_hpa'] = np.float32(550)
            f.attrs['start_mjd'] = 61367.5
            f.attrs['source'] = source
            f.attrs['project'] = fixed('T-001')
            f.attrs['channel_enbw_hz'] = 1.5
            f['if_frequency_hz'] = 4e9 + (np.arange(K) + 0.5) * 4e9 / K
            f['pixel_id'] = np.arange(1, P + 1, dtype='i4')
        def counts(n, base):
            return np.array([[[base + d * 1000 + 10 * p + k for k in range(K)] for p in range(P)] for d in range(n)], 'f4')
        with h5py.File(os.path.join(out, 'cal.h5'), 'w') as f:
            common(f, 'cal', 41, 'CAL')
            f.attrs['t_hot_k'] = 290.0
            f.attrs['t_cold_k'] = np.float32(80)
            f.attrs['elevation_deg'] = 45.0
            for name, base in (('hot', 1000), ('cold', 500), ('sky', 700)):
                g = f.create_group(name)
                c = np.tile(counts(1, base), (3, 1, 1))
                g.create_dataset('counts', data=c, chunks=(1, P, K), compression='gzip', shuffle=True)
                g['mjd'] = 61367.5 + np.arange(3) / 86400.0
                g.attrs['integration_s'] = 0.5
        with h5py.File(os.path.join(out, 'science.h5'), 'w') as f:
            common(f, fixed('science'), 42, 'Orion KL')
            f.attrs['obs_mode'] = fixed('OTF')
            for name, n in (('off', 2), ('on', 9)):
                g = f.create_group(name)
                g.create_dataset('counts', data=counts(n, 0), chunks=(2, P, K), compression='gzip', shuffle=True)
                g['mjd'] = 61367.6 + np.arange(n) / 86400.0
                g['elevation_deg'] = np.full(n, 50.0)
                g.attrs['integration_s'] = np.float32(0.25)
            f['on/offset_arcsec'] = np.stack([np.linspace(-60, 60, 9), np.full(9, -7.5)], axis=1)
        """);
}

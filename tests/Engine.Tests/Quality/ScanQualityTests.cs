using System.Text.Json;
using Scanflow.Engine.Model;
using Scanflow.Engine.Science;
using Scanflow.Engine.Simulation;
using Scanflow.Engine.Tests.Processing;

namespace Scanflow.Engine.Tests.Quality;

/// <summary>Issue 14: a scan's <c>qa.json</c> against the simulator's truth. 4,096 channels: at 1,024 the simulated
/// lines (1–5 km/s) are only a few channels wide and their own channel-to-channel steps raise the ratio of a healthy
/// pixel by up to ~10 %; CHAI's channels are far narrower than its lines.</summary>
public class ScanQualityTests
{
    [Theory]
    [InlineData(Band.Lfa, ObsMode.TotalPower)]
    [InlineData(Band.Hfa, ObsMode.OnTheFly)]
    public void Healthy_noisy_scans_have_radiometer_ratios_within_a_tenth_of_one_and_true_Tsys_medians_14(Band band, ObsMode mode)
    {
        using var store = new CalibratedStore(Noisy(band, mode));

        foreach (var science in store.Truth.Science)
        {
            using var qa = ReadQa(store, science.ScanId);
            var l1 = L1Snapshot.Read(store.Products[science.ScanId].Path);
            var truthMedians = TrueSystemTemperatureMedians(l1, store.Truth.CalibrationOf(science), science);
            var pixels = qa.RootElement.GetProperty("pixels").EnumerateArray().ToArray();
            Assert.Equal(l1.Pixels, pixels.Length);
            for (var p = 0; p < pixels.Length; p++)
            {
                var ratio = pixels[p].GetProperty("radiometer_ratio").GetDouble();
                Assert.InRange(ratio, 0.9, 1.1);
                Assert.False(pixels[p].GetProperty("suspect").GetBoolean());
                var tsys = pixels[p].GetProperty("tsys_median_k").GetDouble();
                Assert.True(Math.Abs(tsys - truthMedians[p]) <= 0.02 * truthMedians[p], $"pixel {p}: median T_sys {tsys} K, truth {truthMedians[p]} K");
            }

            Assert.Empty(qa.RootElement.GetProperty("suspect_pixels").EnumerateArray());
            AssertFlagCountsMatchTheProduct(qa.RootElement, l1);
        }
    }

    /// <summary>A one-channel spur of ±A σ_pred raises the ratio to √(1 + A²/(N − 1)): 80 σ over 4,096 channels gives 1.6.</summary>
    [Fact]
    public void A_pixel_with_extra_noise_and_a_pixel_with_a_spur_are_suspect_and_no_other_14()
    {
        using var store = new CalibratedStore(Noisy(Band.Lfa, ObsMode.TotalPower) with { NoisyPixel = 1, NoiseFactor = 2, SpurPixel = 4, SpurAmplitudeSigma = 80 });

        foreach (var science in store.Truth.Science)
        {
            using var qa = ReadQa(store, science.ScanId);
            var pixels = qa.RootElement.GetProperty("pixels").EnumerateArray().ToArray();
            Assert.Equal([2, 5], qa.RootElement.GetProperty("suspect_pixels").EnumerateArray().Select(e => e.GetInt32()));
            Assert.InRange(pixels[1].GetProperty("radiometer_ratio").GetDouble(), 1.8, 2.2);
            Assert.InRange(pixels[4].GetProperty("radiometer_ratio").GetDouble(), 1.45, 1.75);
            Assert.Equal(pixels.Length - 2, pixels.Count(p => !p.GetProperty("suspect").GetBoolean()));
        }
    }

    [Fact]
    public void Flag_fractions_and_flagged_dumps_are_exact_14()
    {
        // Noiseless with dead channels, and OFF dumps only before the ON dumps of an OTF scan's end: flags of each kind.
        using var store = new CalibratedStore(Noisy(Band.Hfa, ObsMode.OnTheFly) with { Noise = false, DeadChannels = 7 });

        foreach (var science in store.Truth.Science)
        {
            using var qa = ReadQa(store, science.ScanId);
            var l1 = L1Snapshot.Read(store.Products[science.ScanId].Path);
            AssertFlagCountsMatchTheProduct(qa.RootElement, l1);
            Assert.Equal(7.0 / (l1.Pixels * l1.Channels), qa.RootElement.GetProperty("channel_fraction_flagged").GetProperty("bad_channel").GetDouble());
        }
    }

    private static SimulationOptions Noisy(Band band, ObsMode mode) => new()
    {
        OutputDirectory = "unused",
        Band = band,
        Mode = mode,
        Noise = true,
        Scans = 1,
        Pixels = 6,
        Channels = 4096,
        OnDumps = mode == ObsMode.TotalPower ? 60 : 120,
        OffDumps = mode == ObsMode.TotalPower ? 7 : 8,
        PwvMm = band == Band.Lfa ? 0.6 : 0.4,
        ElevationDeg = 50,
        Seed = 5,
    };

    private static JsonDocument ReadQa(CalibratedStore store, long scanId)
    {
        var path = store.Products[scanId].Path.Replace(".l1.h5", ".qa.json", StringComparison.Ordinal);
        var qa = JsonDocument.Parse(File.ReadAllText(path));
        Assert.Equal("scanflow-qa", qa.RootElement.GetProperty("format").GetString());
        Assert.Equal(scanId, qa.RootElement.GetProperty("scan_id").GetInt64());
        Assert.Equal(Path.GetFileName(store.Products[scanId].Path), qa.RootElement.GetProperty("l1_file").GetString());
        return qa;
    }

    /// <summary>The counts of qa.json against the product's own flag datasets.</summary>
    private static void AssertFlagCountsMatchTheProduct(JsonElement qa, L1Snapshot l1)
    {
        var cells = (double)(l1.Pixels * l1.Channels);
        var fractions = qa.GetProperty("channel_fraction_flagged");
        Assert.Equal(l1.ChannelFlag.Count(f => (f & 1) != 0) / cells, fractions.GetProperty("bad_channel").GetDouble());
        Assert.Equal(l1.ChannelFlag.Count(f => (f & 2) != 0) / cells, fractions.GetProperty("bad_pixel").GetDouble());
        Assert.Equal(l1.ChannelFlag.Count(f => (f & 4) != 0) / cells, fractions.GetProperty("atmosphere_core").GetDouble());
        Assert.Equal(l1.ChannelFlag.Count(f => f != 0) / cells, fractions.GetProperty("any").GetDouble());
        var dumps = qa.GetProperty("dumps_flagged");
        string[] names = ["off_extrapolated", "low_elevation", "invalid_counts"];
        for (var bit = 0; bit < names.Length; bit++)
        {
            var expected = Enumerable.Range(0, l1.Dumps).Count(d => l1.DumpFlag.AsSpan(d * l1.Pixels, l1.Pixels).ToArray().Any(f => (f & (1 << bit)) != 0));
            Assert.Equal(expected, dumps.GetProperty(names[bit]).GetInt32());
        }

        Assert.Equal(l1.Dumps, qa.GetProperty("dumps").GetInt32());
    }

    /// <summary>Per pixel, the median over the product's unflagged channels of the true T_sys (as NoisyCalibrationTests).</summary>
    private static double[] TrueSystemTemperatureMedians(L1Snapshot l1, CalibrationTruth calibration, ScienceTruth science)
    {
        var sky = NoiselessTruth.SkyOf(calibration, l1.Channels);
        var skyK = new double[l1.Channels];
        sky.Brightness(calibration.PwvMm, SkyModel.Airmass(calibration.ElevationDeg), skyK);
        var tr = new double[l1.Channels];
        sky.Transmission(calibration.PwvMm, SkyModel.Airmass(science.ElevationDeg), tr, new double[l1.Channels]);
        return [.. Enumerable.Range(0, l1.Pixels).Select(p =>
        {
            var values = Enumerable.Range(0, l1.Channels).Where(k => l1.ChannelFlag[(p * l1.Channels) + k] == 0)
                .Select(k => (calibration.Receiver.ReceiverTemperature(p, k, l1.Channels) + skyK[k]) * (1 + calibration.SidebandGainRatio) / (calibration.ForwardEfficiency * tr[k]))
                .Order().ToArray();
            return values.Length % 2 == 1 ? values[values.Length / 2] : (values[(values.Length / 2) - 1] + values[values.Length / 2]) / 2;
        })];
    }
}

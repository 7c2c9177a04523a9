using Scanflow.Engine.Formats.Hdf5;
using Scanflow.Engine.Science;
using Scanflow.Engine.Simulation;

namespace Scanflow.Engine.Tests.Processing;

/// <summary>calibration.md §3.4, noiseless tolerances, checked on one L1 product against the simulator's truth: PWV to
/// ±0.005 mm, τ to ±0.001, T_rx and T_sys to 1e-6 relative, T_A* to ±1 mK or 1e-5 relative, dead channels flagged.</summary>
internal static class NoiselessTruth
{
    public static void AssertProduct(string path, SimulationTruth truth)
    {
        long scanId;
        using (var file = Hdf5File.OpenRead(path))
        {
            scanId = file.ReadInt64Attribute("scan_id");
        }

        var science = truth.Science.Single(s => s.ScanId == scanId);
        var calibration = truth.CalibrationOf(science);
        var l1 = L1Snapshot.Read(path);
        var sky = SkyOf(calibration, l1.Channels);
        var receiver = calibration.Receiver;

        Assert.InRange(l1.PwvMm, calibration.PwvMm - 0.005, calibration.PwvMm + 0.005);

        var tauTruth = new double[l1.Channels];
        sky.ZenithOpacity(calibration.PwvMm, tauTruth, new double[l1.Channels]);
        var trTruth = new double[l1.Channels];
        sky.Transmission(calibration.PwvMm, SkyModel.Airmass(science.ElevationDeg), trTruth, new double[l1.Channels]);
        var skyTruth = new double[l1.Channels];
        sky.Brightness(calibration.PwvMm, SkyModel.Airmass(calibration.ElevationDeg), skyTruth);
        for (var k = 0; k < l1.Channels; k++)
        {
            Assert.True(Math.Abs(l1.TauSignal[k] - tauTruth[k]) <= 0.001, $"τ_s[{k}] = {l1.TauSignal[k]}, truth {tauTruth[k]}");
        }

        var flagged = 0;
        for (var p = 0; p < l1.Pixels; p++)
        {
            for (var k = 0; k < l1.Channels; k++)
            {
                var i = (p * l1.Channels) + k;
                if (receiver.DeadChannels.Contains(new ChannelIndex(p, k)))
                {
                    Assert.NotEqual(0, l1.ChannelFlag[i] & (byte)ChannelFlags.BadChannel);
                    flagged++;
                    continue;
                }

                Assert.Equal(0, l1.ChannelFlag[i]);
                var trx = receiver.ReceiverTemperature(p, k, l1.Channels);
                var tsys = (trx + skyTruth[k]) * (1 + calibration.SidebandGainRatio) / (calibration.ForwardEfficiency * trTruth[k]);
                AssertRelative(trx, l1.Trx[i], 1e-6, $"T_rx[{p},{k}]");
                AssertRelative(tsys, l1.Tsys[i], 1e-6, $"T_sys[{p},{k}]");
            }
        }

        Assert.Equal(receiver.DeadChannels.Count, flagged);
        AssertTaStar(l1, science);
    }

    /// <summary>The sky model the simulator used for a calibration (same constants the truth records).</summary>
    public static SkyModel SkyOf(CalibrationTruth calibration, int channels)
    {
        var axis = new SpectralAxis(
            calibration.LoFrequencyHz, calibration.Sideband == "USB" ? Model.Sideband.Usb : Model.Sideband.Lsb, BandSetup.IntermediateFrequencies(channels));
        return new SkyModel(
            axis, SidebandWeights.FromGainRatio(calibration.SidebandGainRatio),
            new AtmosphereConditions(
                calibration.AmbientTemperatureK, calibration.ForwardEfficiency, calibration.AtmosphereTemperatureK - calibration.AmbientTemperatureK),
            JMode.Planck, AtmosphereModel.Default);
    }

    /// <summary>T_A* to ±1 mK or 1e-5 relative on every sample; NaN exactly where the channel is flagged.</summary>
    private static void AssertTaStar(L1Snapshot l1, ScienceTruth science)
    {
        var spectrum = l1.FrequencyHz.Select(science.Source.Spectrum).ToArray();
        Assert.True(spectrum.Max() >= 1.0, "the simulator injects lines of at least 1 K");
        for (var d = 0; d < l1.Dumps; d++)
        {
            var spatial = science.Source.SpatialFactor(l1.OffsetArcsec[2 * d], l1.OffsetArcsec[(2 * d) + 1]);
            for (var p = 0; p < l1.Pixels; p++)
            {
                for (var k = 0; k < l1.Channels; k++)
                {
                    var value = l1.TaStar[(((d * l1.Pixels) + p) * l1.Channels) + k];
                    if (l1.ChannelFlag[(p * l1.Channels) + k] != 0)
                    {
                        Assert.True(float.IsNaN(value), $"flagged channel [{p},{k}] of dump {d} must be NaN, was {value}");
                        continue;
                    }

                    var truth = spatial * spectrum[k];
                    var tolerance = Math.Max(1e-3, 1e-5 * Math.Abs(truth));
                    Assert.True(Math.Abs(value - truth) <= tolerance, $"T_A*[{d},{p},{k}] = {value} K, truth {truth} K");
                }
            }
        }
    }

    private static void AssertRelative(double expected, double actual, double tolerance, string what) =>
        Assert.True(Math.Abs(actual - expected) <= tolerance * Math.Abs(expected), $"{what} = {actual}, truth {expected} (relative error {(actual - expected) / expected:E2})");
}

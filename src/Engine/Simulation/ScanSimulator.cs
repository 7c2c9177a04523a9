using System.Numerics.Tensors;
using Scanflow.Engine.Formats;
using Scanflow.Engine.Model;
using Scanflow.Engine.Science;

namespace Scanflow.Engine.Simulation;

/// <summary>The forward model of calibration.md §3: writes one calibration scan and N science scans (and optionally a
/// second calibration scan after them) from a seeded truth, dump block by dump block (a scan of any size needs a few
/// blocks of memory), and records the truth. A gain drift scales every dump by its receiver's gain factor at the dump's
/// own MJD, with the first calibration scan's start as the reference.</summary>
public static class ScanSimulator
{
    /// <summary>Hot load temperature written to every calibration scan [K].</summary>
    public const double HotLoadK = 290;
    /// <summary>Cold load temperature written to every calibration scan [K].</summary>
    public const double ColdLoadK = 80;
    /// <summary>Ambient temperature T_amb of the simulated site [K].</summary>
    public const double AmbientK = 270;
    /// <summary>Forward efficiency η_f in every header (and of the sky, unless <see cref="SimulationOptions.TrueForwardEfficiency"/> is set).</summary>
    public const double ForwardEfficiency = 0.95;
    /// <summary>Sideband gain ratio G_i/G_s of the simulated receiver.</summary>
    public const double GainRatio = 1.0;
    /// <summary>Ambient pressure in every header [hPa].</summary>
    public const double PressureHpa = 550;
    /// <summary>OTF: latitude spacing of the rows [arcsec].</summary>
    public const double RowSpacingArcsec = 10;
    /// <summary>OTF: each row scans longitude from minus to plus this offset [arcsec].</summary>
    public const double RowHalfLengthArcsec = 60;
    /// <summary>OTF: FWHM of the Gaussian source on the sky [arcsec]; a TP source fills the beam.</summary>
    public const double OtfSourceFwhmArcsec = 40;
    private const long BlockBytes = 16L << 20;
    /// <summary>Mixed into the seed of the spur's own random stream, so a spur leaves every other count's noise draw as it was.</summary>
    private const int SpurSeedSalt = 0x5350_5552;
    private const double SpeedOfLight = 299_792_458.0;
    private static readonly string[] Sources = ["OrionKL", "NGC7538-IRS1", "W3(OH)", "G34.26"];

    /// <summary>Writes the scans and returns the truth (also saved, appended, to <c>truth.json</c>).</summary>
    public static SimulationTruth Run(SimulationOptions options, Action<string>? report = null)
    {
        if (options.Validate() is { } problem)
        {
            throw new ArgumentException(problem, nameof(options));
        }

        Directory.CreateDirectory(options.OutputDirectory);
        var truth = File.Exists(Path.Combine(options.OutputDirectory, SimulationTruth.FileName))
            ? SimulationTruth.Load(options.OutputDirectory)
            : new SimulationTruth(JModeNames.Of(JMode.Planck), AtmosphereModel.Default.Id, options.Noise, [], []);
        var lastId = options.FirstScanId + options.Scans + (options.CalibrationAfter ? 1 : 0);
        if (truth.Calibrations.Any(c => c.ScanId >= options.FirstScanId && c.ScanId <= lastId)
            || truth.Science.Any(s => s.ScanId >= options.FirstScanId && s.ScanId <= lastId))
        {
            throw new ArgumentException(
                $"{options.OutputDirectory} already holds scans numbered {options.FirstScanId}–{lastId}; choose another --first-scan-id", nameof(options));
        }

        var noise = new GaussianNoise(options.Seed);
        var spurSigns = new GaussianNoise(options.Seed ^ SpurSeedSalt);
        var axis = new SpectralAxis(
            BandSetup.LoFrequencyHz(options.Band), BandSetup.SignalSideband(options.Band), BandSetup.IntermediateFrequencies(options.Channels));
        var conditions = new AtmosphereConditions(AmbientK, options.TrueForwardEfficiency ?? ForwardEfficiency, options.TrueAtmosphereTemperatureOffsetK);
        var sky = new SkyModel(axis, SidebandWeights.FromGainRatio(GainRatio), conditions, JMode.Planck, AtmosphereModel.Default);
        var receiver = DrawReceiver(options, noise) with
        {
            GainDriftPercentPer10Minutes = options.GainDriftPercentPer10Minutes,
            GainDriftReferenceMjd = options.StartMjd,
        };
        var pixelIds = Enumerable.Range(1, options.Pixels).ToArray();

        var calibration = WriteCalibration(options, options.FirstScanId, options.StartMjd, axis, sky, receiver, pixelIds, noise);
        truth.Calibrations.Add(calibration);
        report?.Invoke($"wrote {calibration.File}");

        var startMjd = options.StartMjd + (((3 * options.CalibrationDumps * options.CalibrationIntegrationSeconds) + 10) / 86400.0);
        for (var i = 0; i < options.Scans; i++)
        {
            var science = WriteScience(options, i, startMjd, calibration, axis, sky, receiver, pixelIds, noise, spurSigns, out var duration);
            truth.Science.Add(science);
            report?.Invoke($"wrote {science.File}");
            startMjd += (duration + 10) / 86400.0;
        }

        if (options.CalibrationAfter)
        {
            // The science scans keep the first calibration as theirs; this one shows the drifted gain at its own time.
            var after = WriteCalibration(options, options.FirstScanId + options.Scans + 1, startMjd, axis, sky, receiver, pixelIds, noise);
            truth.Calibrations.Add(after);
            report?.Invoke($"wrote {after.File}");
        }

        truth.Save(options.OutputDirectory);
        return truth;
    }

    private static ReceiverTruth DrawReceiver(SimulationOptions o, GaussianNoise random)
    {
        var trx = new double[o.Pixels];
        var phase = new double[o.Pixels];
        var gain = new double[o.Pixels];
        for (var p = 0; p < o.Pixels; p++)
        {
            trx[p] = random.Uniform(100, 300);
            phase[p] = random.Uniform(0, 2 * Math.PI);
            gain[p] = Math.Pow(10, random.Uniform(3, 5));
        }

        var dead = Enumerable.Range(0, o.DeadChannels)
            .Select(i => new ChannelIndex(i % o.Pixels, (int)((long)(i + 1) * o.Channels / (o.DeadChannels + 1))))
            .ToList();
        return new ReceiverTruth(trx, phase, 0.05, gain, dead);
    }

    private static CalibrationTruth WriteCalibration(
        SimulationOptions o, long id, double startMjd, SpectralAxis axis, SkyModel sky, ReceiverTruth receiver, int[] pixelIds, GaussianNoise noise)
    {
        var file = $"scan_{id:D6}_{ModelNames.Of(o.Band)}_cal.h5";
        var header = Header(o, id, ScanKind.Calibration, Path.Combine(o.OutputDirectory, file), "CAL", startMjd) with
        {
            HotTemperatureK = HotLoadK,
            ColdTemperatureK = ColdLoadK,
            ElevationDeg = o.ElevationDeg,
        };

        var skyInput = new double[o.Channels];
        sky.Brightness(o.PwvMm, SkyModel.Airmass(o.ElevationDeg), skyInput);
        (string Group, double[] InputK)[] loads =
        [
            (RawFormat.HotGroup, LoadRadiation(sky, HotLoadK)),
            (RawFormat.ColdGroup, LoadRadiation(sky, ColdLoadK)),
            (RawFormat.SkyGroup, skyInput),
        ];

        using var writer = RawScanWriter.Create(header, axis.IntermediateFrequencyHz, pixelIds, o.Layout, o.FixedLengthStrings);
        var t = 0.0;
        foreach (var (group, input) in loads)
        {
            var mjd = new double[o.CalibrationDumps];
            for (var d = 0; d < mjd.Length; d++, t += o.CalibrationIntegrationSeconds)
            {
                mjd[d] = startMjd + ((t + (o.CalibrationIntegrationSeconds / 2)) / 86400.0);
            }

            var power = Power(receiver, o.Channels, (_, k) => input[k]);
            using var dumps = writer.CreateDumpGroup(group, o.CalibrationIntegrationSeconds, mjd);
            WriteDumps(dumps, o, mjd, receiver, power, null, null, o.CalibrationIntegrationSeconds, axis.NoiseBandwidthHz, noise);
        }

        writer.Commit();
        return new CalibrationTruth(
            id, file, ModelNames.Of(o.Band), axis.LoFrequencyHz, ModelNames.Of(axis.Sideband), o.PwvMm, o.ElevationDeg,
            AmbientK, sky.Conditions.AtmosphereTemperatureK, sky.Conditions.ForwardEfficiency, GainRatio, HotLoadK, ColdLoadK, receiver);
    }

    private static ScienceTruth WriteScience(
        SimulationOptions o, int index, double startMjd, CalibrationTruth calibration, SpectralAxis axis, SkyModel sky,
        ReceiverTruth receiver, int[] pixelIds, GaussianNoise noise, GaussianNoise spurSigns, out double durationSeconds)
    {
        var id = o.FirstScanId + 1 + index;
        var mode = ModelNames.Of(o.Mode);
        var file = $"scan_{id:D6}_{ModelNames.Of(o.Band)}_{mode.ToLowerInvariant()}.h5";
        var elevation = Math.Min(89, o.ElevationDeg + (0.5 * index));
        var airmass = SkyModel.Airmass(elevation);
        var source = DrawSource(o, axis, noise);
        var header = Header(o, id, ScanKind.Science, Path.Combine(o.OutputDirectory, file), Sources[index % Sources.Length], startMjd) with
        {
            ObsMode = o.Mode,
        };

        var sequence = DumpSequence.Create(o.Mode, o.OffDumps, o.OnDumps, o.OffIntegration, o.OnIntegration, startMjd);
        durationSeconds = sequence.DurationSeconds;
        var offsets = Offsets(o.Mode, sequence);

        // Sky seen through the receiver at the scan's elevation, and the line term g_s·η_f·t_s·T_src (§3.2).
        var skyInput = new double[o.Channels];
        sky.Brightness(o.PwvMm, airmass, skyInput);
        var trSignal = new double[o.Channels];
        sky.Transmission(o.PwvMm, airmass, trSignal, new double[o.Channels]);
        var offPower = Power(receiver, o.Channels, (_, k) => skyInput[k]);
        var linePower = Power(receiver, o.Channels, (_, k) => sky.Weights.Signal * sky.Conditions.ForwardEfficiency * trSignal[k] * source.Spectrum(axis.SignalFrequencyHz[k]), withReceiver: false);

        var noisy = o.NoisyPixel is { } noisyPixel ? new NoisyPixel(noisyPixel, o.NoiseFactor) : null;
        var spur = o.SpurPixel is { } spurPixel
            ? DrawSpur(o, spurPixel, receiver, axis, sky, skyInput, trSignal, offPower, sequence.OnMjd.Length, spurSigns)
            : null;

        using var writer = RawScanWriter.Create(header, axis.IntermediateFrequencyHz, pixelIds, o.Layout, o.FixedLengthStrings);
        using (var off = writer.CreateDumpGroup(RawFormat.OffGroup, o.OffIntegration, sequence.OffMjd, Constant(sequence.OffMjd.Length, elevation)))
        {
            WriteDumps(off, o, sequence.OffMjd, receiver, offPower, null, null, o.OffIntegration, axis.NoiseBandwidthHz, noise, noisy);
        }

        var spatial = new double[sequence.OnMjd.Length];
        for (var d = 0; d < spatial.Length; d++)
        {
            spatial[d] = source.SpatialFactor(offsets[2 * d], offsets[(2 * d) + 1]);
        }

        using (var on = writer.CreateDumpGroup(RawFormat.OnGroup, o.OnIntegration, sequence.OnMjd, Constant(sequence.OnMjd.Length, elevation), offsets))
        {
            WriteDumps(on, o, sequence.OnMjd, receiver, offPower, linePower, spatial, o.OnIntegration, axis.NoiseBandwidthHz, noise, noisy, spur);
        }

        writer.Commit();
        return new ScienceTruth(id, file, calibration.ScanId, mode, elevation, o.OnIntegration, o.OffIntegration, source)
        {
            NoisyPixel = noisy?.Pixel,
            NoiseFactor = noisy?.Factor ?? 1,
            SpurPixel = spur?.Pixel,
            SpurChannel = spur?.Channel,
            SpurAmplitudesSigma = spur?.AmplitudesSigma,
            SpurSigmaK = spur?.SigmaK,
        };
    }

    /// <summary>Issue 14's spur: one channel of one pixel, ±a·σ_pred in every ON dump with the sign drawn per dump (zero
    /// mean, so neither ON − OFF nor a time average removes it, and every dump's channel-difference RMS rises alike).
    /// σ_pred is §3.4's at that channel, T_sys·√(1/(B·τ_ON) + 1/(B·τ_OFF)); in counts it is the noiseless OFF count
    /// times the same root, added before the gain drift and the noise.</summary>
    private static Spur DrawSpur(
        SimulationOptions o, int pixel, ReceiverTruth receiver, SpectralAxis axis, SkyModel sky, double[] skyInput, double[] trSignal,
        float[] offPower, int onDumps, GaussianNoise signs)
    {
        // ⌊0.15·N⌋ lies outside the band-edge roll-off and the middle 60 % that holds the source lines; skip dead channels.
        var channel = (int)(0.15 * o.Channels);
        while (receiver.DeadChannels.Any(c => c.Pixel == pixel && c.Channel == channel))
        {
            channel++;
        }

        var root = Math.Sqrt((1 / (axis.NoiseBandwidthHz * o.OnIntegration)) + (1 / (axis.NoiseBandwidthHz * o.OffIntegration)));
        var amplitudes = new double[onDumps];
        var counts = new double[onDumps];
        for (var d = 0; d < onDumps; d++)
        {
            amplitudes[d] = signs.Integer(0, 2) == 0 ? -o.SpurAmplitudeSigma : o.SpurAmplitudeSigma;
            counts[d] = amplitudes[d] * offPower[(pixel * o.Channels) + channel] * root;
        }

        // T_sys of §1.5 from the truth at the scan's elevation, the scale of the spur in T_A*.
        var tsys = (receiver.ReceiverTemperature(pixel, channel, o.Channels) + skyInput[channel]) * (1 + GainRatio)
            / (sky.Conditions.ForwardEfficiency * trSignal[channel]);
        return new Spur(pixel, channel, amplitudes, counts, tsys * root);
    }

    /// <summary>Counts dump by dump: C = base + f_d·line (+ the spur's counts of dump d), times the gain drift factor at
    /// the dump's MJD (the value written to its <c>mjd</c>), times (1 + n/√(B·τ)) when noisy (§3.2), with n scaled by the
    /// noisy pixel's factor, in blocks. Neither fault changes which deviate n any other count gets.</summary>
    private static void WriteDumps(
        RawDumpWriter writer, SimulationOptions o, double[] mjd, ReceiverTruth receiver, float[] basePower, float[]? linePower,
        double[]? spatial, double integrationSeconds, double bandwidthHz, GaussianNoise noise, NoisyPixel? noisy = null, Spur? spur = null)
    {
        var dumps = mjd.Length;
        var dumpLength = basePower.Length;
        var blockDumps = (int)Math.Clamp(BlockBytes / (dumpLength * (long)sizeof(float)), 1, dumps);
        var block = new float[blockDumps * dumpLength];
        var sigma = 1.0 / Math.Sqrt(bandwidthHz * integrationSeconds);
        var channels = dumpLength / receiver.Pixels;
        for (var first = 0; first < dumps; first += blockDumps)
        {
            var n = Math.Min(blockDumps, dumps - first);
            for (var d = 0; d < n; d++)
            {
                var dump = block.AsSpan(d * dumpLength, dumpLength);
                if (linePower is null)
                {
                    basePower.CopyTo(dump);
                }
                else
                {
                    TensorPrimitives.MultiplyAdd(linePower, (float)spatial![first + d], basePower, dump);
                }

                if (spur is not null)
                {
                    var i = (spur.Pixel * channels) + spur.Channel;
                    dump[i] = (float)(dump[i] + spur.Counts[first + d]);
                }

                // Without drift the counts stay what they were before drift existed, bit for bit.
                if (receiver.GainDriftPercentPer10Minutes != 0)
                {
                    var factor = receiver.GainFactor(mjd[first + d]);
                    for (var i = 0; i < dump.Length; i++)
                    {
                        dump[i] = (float)(dump[i] * factor);
                    }
                }

                if (o.Noise)
                {
                    for (var p = 0; p < receiver.Pixels; p++)
                    {
                        var pixelSigma = p == noisy?.Pixel ? sigma * noisy.Factor : sigma;
                        var counts = dump.Slice(p * channels, channels);
                        for (var k = 0; k < counts.Length; k++)
                        {
                            counts[k] = (float)(counts[k] * (1 + (pixelSigma * noise.Next())));
                        }
                    }
                }
            }

            writer.WriteCounts(first, n, block.AsSpan(0, n * dumpLength));
        }
    }

    /// <summary>Receiver output G·(T_rx + T_in) per pixel and channel (or G·T_in for the line term), §3.2.</summary>
    private static float[] Power(ReceiverTruth receiver, int channels, Func<int, int, double> inputK, bool withReceiver = true)
    {
        var power = new float[receiver.Pixels * channels];
        for (var p = 0; p < receiver.Pixels; p++)
        {
            for (var k = 0; k < channels; k++)
            {
                var trx = withReceiver ? receiver.ReceiverTemperature(p, k, channels) : 0;
                power[(p * channels) + k] = (float)(receiver.Gain(p, k, channels) * (trx + inputK(p, k)));
            }
        }

        return power;
    }

    /// <summary>J_L of a load (§1.1), with the pipeline's own J so noiseless data recover exactly.</summary>
    private static double[] LoadRadiation(SkyModel sky, double temperatureK)
    {
        var j = new double[sky.Axis.Channels];
        sky.LoadRadiation(temperatureK, j);
        return j;
    }

    private static SourceTruth DrawSource(SimulationOptions o, SpectralAxis axis, GaussianNoise random)
    {
        var lines = new List<SpectralLine>();
        var count = random.Integer(1, 4);
        var low = axis.SignalFrequencyHz.Min();
        var high = axis.SignalFrequencyHz.Max();
        for (var i = 0; i < count; i++)
        {
            var center = random.Uniform(low + (0.2 * (high - low)), high - (0.2 * (high - low)));
            var fwhmKms = random.Uniform(1, 5);
            lines.Add(new SpectralLine(random.Uniform(1, 10), center, fwhmKms * 1e3 / SpeedOfLight * center));
        }

        return new SourceTruth(lines, random.Uniform(0, 0.5), o.Mode == ObsMode.OnTheFly ? OtfSourceFwhmArcsec : null);
    }

    /// <summary>TP points at the source; OTF rows scan in longitude across ±60″, one row per ON group, 10″ apart.</summary>
    private static double[] Offsets(ObsMode mode, DumpSequence sequence)
    {
        var offsets = new double[2 * sequence.OnMjd.Length];
        if (mode == ObsMode.TotalPower)
        {
            return offsets;
        }

        var rowLength = new int[sequence.Rows];
        var rowStart = new int[sequence.Rows];
        for (var d = sequence.OnRow.Length - 1; d >= 0; d--)
        {
            rowLength[sequence.OnRow[d]]++;
            rowStart[sequence.OnRow[d]] = d;
        }

        for (var d = 0; d < sequence.OnRow.Length; d++)
        {
            var row = sequence.OnRow[d];
            var fraction = rowLength[row] == 1 ? 0.5 : (double)(d - rowStart[row]) / (rowLength[row] - 1);
            offsets[2 * d] = -RowHalfLengthArcsec + (2 * RowHalfLengthArcsec * fraction);
            offsets[(2 * d) + 1] = (row - ((sequence.Rows - 1) / 2.0)) * RowSpacingArcsec;
        }

        return offsets;
    }

    private static RawScanHeader Header(SimulationOptions o, long id, ScanKind kind, string path, string source, double startMjd) => new()
    {
        FilePath = path,
        ScanId = id,
        Kind = kind,
        Band = o.Band,
        LoFrequencyHz = BandSetup.LoFrequencyHz(o.Band),
        Sideband = BandSetup.SignalSideband(o.Band),
        SidebandGainRatio = GainRatio,
        ForwardEfficiency = ForwardEfficiency,
        AmbientTemperatureK = AmbientK,
        PressureHpa = PressureHpa,
        StartMjd = startMjd,
        Source = source,
        Project = "SIM-" + o.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Pixels = o.Pixels,
        Channels = o.Channels,
    };

    private static double[] Constant(int length, double value) => Enumerable.Repeat(value, length).ToArray();

    private sealed record NoisyPixel(int Pixel, double Factor);

    /// <summary>The spur of one science scan: ±a per ON dump in units of σ_pred, the same in counts, and σ_pred in K.</summary>
    private sealed record Spur(int Pixel, int Channel, double[] AmplitudesSigma, double[] Counts, double SigmaK);
}

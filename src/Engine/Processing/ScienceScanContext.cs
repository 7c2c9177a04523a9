using System.Buffers;
using System.Globalization;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using Scanflow.Engine.Formats;
using Scanflow.Engine.Quality;
using Scanflow.Engine.Science;

namespace Scanflow.Engine.Processing;

/// <summary>Everything needed to calibrate the ON dumps of one science scan with one calibration, computed once per
/// scan: the calibration solution at the scan's mean ON airmass, the OFF interpolation of every ON dump, and dump
/// flags. <see cref="Calibrate"/> then turns any block of ON counts into T_A*.</summary>
internal sealed class ScienceScanContext
{
    /// <summary>Elevation below which a dump is flagged and blanked (calibration.md §2.3, §7.4).</summary>
    public const double LowElevationDeg = 15.0;

    /// <summary>A T_A* bound below this cannot overflow float32 anywhere in the kernel (a wide margin under float.MaxValue).</summary>
    private const double OverflowGuard = float.MaxValue / 16.0;

    /// <summary>OFF dumps are checked in blocks of about this many bytes (at least one dump): a small buffer, as the
    /// check reads them only once.</summary>
    private const long OffCheckBlockBytes = 1L << 20;

    private readonly OffInterpolation[] _interpolation;
    private readonly double[] _airmass;
    private readonly OffSpectrumCache _offSpectra;
    /// <summary>The §7.3 factors of the few dumps being calibrated now, once per dump: a dump cut into blocks of pixel
    /// rows needs them in every block, and one exp per channel costs more than a small block's kernel.</summary>
    private readonly RecentValues<float[]?> _airmassFactors;
    private readonly float[] _scale;
    private readonly double[] _scaleBound;
    private readonly double[] _offBound;
    private readonly double[] _airmassFactorBound;
    private int _invalidPixelDumps;

    private readonly InterpolatedGain? _gain;

    private ScienceScanContext(
        ScienceScanReader reader, CalibrationProducts calibration, CalibrationSolution solution, OffReference offReference, OffCountsCheck offCheck, string? pwvNote,
        (CalibrationProducts Products, CalibrationSolution Solution)? later, string? gainInterpolationNote)
    {
        Reader = reader;
        Calibration = calibration;
        Solution = solution;
        PwvNote = pwvNote;
        LaterCalibration = later?.Products;
        GainInterpolationNote = gainInterpolationNote;
        var n = reader.OnMjd.Length;
        var pixels = reader.Header.Pixels;
        _interpolation = new OffInterpolation[n];
        _airmass = new double[n];
        _airmassFactorBound = new double[n];
        DumpFlags = new byte[n * pixels];
        double tauMin = Solution.TauSignal.Min(), tauMax = Solution.TauSignal.Max();
        for (var d = 0; d < n; d++)
        {
            _interpolation[d] = offReference.For(reader.OnMjd[d]);
            _airmass[d] = SkyModel.Airmass(reader.OnElevationDeg[d]);
            var delta = solution.MeanOnAirmass - _airmass[d];
            _airmassFactorBound[d] = Math.Max(1.0, Math.Exp(Math.Max(-tauMin * delta, -tauMax * delta)));
            var flag = (_interpolation[d].Extrapolated ? Science.DumpFlags.OffExtrapolated : Science.DumpFlags.None)
                | (reader.OnElevationDeg[d] < LowElevationDeg ? Science.DumpFlags.LowElevation : Science.DumpFlags.None);
            DumpFlags.AsSpan(d * pixels, pixels).Fill((byte)flag);
        }

        // The calibration's flags plus the OFF counts' (§7.4 bits 0 and 1), built in the product's own array (the
        // solution keeps the calibration's); T_A* is NaN wherever a flag is set. The solution is this scan's alone,
        // so its scale is NaN'd in place rather than copied (16 MiB at CHAI's shape).
        ChannelFlags = MemoryMarshal.AsBytes(solution.Flags.AsSpan()).ToArray();
        var flags = MemoryMarshal.Cast<byte, Science.ChannelFlags>(ChannelFlags.AsSpan());
        if (later is { } second)
        {
            _gain = InterpolatedGain.Create(
                solution, calibration.Loads, calibration.Axes.SkyMeanMjd, second.Solution, second.Products.Loads, second.Products.Axes.SkyMeanMjd, reader.OnMjd, flags);
        }

        offCheck.ApplyTo(flags);
        _scale = solution.Scale;
        _scaleBound = new double[pixels];
        _offBound = offCheck.MaxMagnitude;
        var channels = reader.Header.Channels;
        for (var i = 0; i < _scale.Length; i++)
        {
            if (flags[i] != Science.ChannelFlags.None)
            {
                _scale[i] = float.NaN;
            }
            else if (float.IsFinite(_scale[i]))
            {
                _scaleBound[i / channels] = Math.Max(_scaleBound[i / channels], Math.Abs(_scale[i]) * (_gain?.MaxScaleRatio(i) ?? 1.0));
            }
        }

        _offSpectra = new OffSpectrumCache(reader, offReference);
        QualityData = new ScanQualityAccumulator(pixels, channels, solution.SystemTemperatureK, ChannelFlags, DumpNoise(reader, offReference, _interpolation, calibration.Sky.Axis.NoiseBandwidthHz));
        _airmassFactors = new RecentValues<float[]?>(AirmassFactors, capacity: 4);
    }

    public ScienceScanReader Reader { get; }

    public CalibrationProducts Calibration { get; }

    public CalibrationSolution Solution { get; }

    /// <summary>[n_on × n_pix] dump flags (§7.4; bit 2 is set as chunks are calibrated).</summary>
    public byte[] DumpFlags { get; }

    /// <summary>[n_pix × n_chan] the product's channel flags: the calibration's, plus bad channels and pixels of the OFF counts.</summary>
    public byte[] ChannelFlags { get; }

    /// <summary>The scan's QA, gathered as its rows are calibrated.</summary>
    public ScanQualityAccumulator QualityData { get; }

    /// <summary>Set when the PWV in use is not this calibration's own fit.</summary>
    public string? PwvNote { get; }

    /// <summary>C₂ when the gain is interpolated (calibration.md §7.10); null otherwise.</summary>
    public CalibrationProducts? LaterCalibration { get; }

    /// <summary>Why linear gain interpolation was asked for and not applied; null when it applied or was not asked for.</summary>
    public string? GainInterpolationNote { get; }

    /// <summary>Applies <paramref name="calibration"/> to the science scan open in <paramref name="reader"/>.</summary>
    /// <param name="reader">The science scan.</param>
    /// <param name="calibration">Products of a calibration scan with the same axes.</param>
    /// <param name="fallbackPwvMm">The last good PWV of this band, used when this calibration's fit failed (§2.5).</param>
    /// <param name="gain">With linear gain interpolation (§7.10): C₂ (or null) and, when there is none, why.</param>
    public static ScienceScanContext Create(
        ScienceScanReader reader, CalibrationProducts calibration, double? fallbackPwvMm = null, SecondCalibration? gain = null)
    {
        CalibrationMatch.RequireSameAxes(calibration.Axes, reader);
        var meanAirmass = reader.OnElevationDeg.Average(SkyModel.Airmass);
        var fit = calibration.Fit;
        var (pwv, note) = fit.Status == AtmosphereFitStatus.Ok
            ? (fit.PwvMm, (string?)null)
            : fallbackPwvMm is { } last
                ? (last, $"PWV fit of calibration scan {calibration.Header.ScanId} failed ({fit.FailureReason}); used the last good PWV {last:F4} mm")
                : (fit.PwvMm, $"PWV fit of calibration scan {calibration.Header.ScanId} failed ({fit.FailureReason}) and no earlier good PWV was known; used the failed fit");
        if (!double.IsFinite(pwv))
        {
            throw new CalibrationException(
                reader.Header.ScanId, reader.Header.FilePath,
                $"no PWV is available: the fit of calibration scan {calibration.Header.ScanId} failed ({fit.FailureReason}) and no earlier good PWV of this band is known");
        }

        var solution = CalibrationSolution.Create(calibration.Loads, fit, calibration.Sky, meanAirmass, pwv);
        var (later, gainNote) = Second(reader, calibration, gain, meanAirmass);
        var (offCheck, usableOffDumps) = CheckOffCounts(reader);
        if (usableOffDumps.Length == 0)
        {
            throw new CalibrationException(
                reader.Header.ScanId, reader.Header.FilePath,
                $"all of its {reader.OffMjd.Length} OFF dumps are all zero; check /off/counts, which may be zero-filled or half-written");
        }

        var offReference = OffReference.Build(reader.Header.ObsMode!.Value, reader.OffMjd, reader.OnMjd, usableOffDumps);
        var context = new ScienceScanContext(reader, calibration, solution, offReference, offCheck, note, later, gainNote);
        if (context.EveryPixelIsBad())
        {
            throw new CalibrationException(
                reader.Header.ScanId, reader.Header.FilePath,
                "no pixel is usable once its OFF counts are checked (an OFF dump all zero for the pixel, or NaN or infinite OFF counts in more than half of its channels); check /off/counts");
        }

        return context;
    }

    /// <summary>Fails the scan when not one ON dump had valid counts for any pixel (formats.md <c>/dump_flag</c> bit 2);
    /// call once every dump was calibrated.</summary>
    public void RequireValidOnCounts()
    {
        if (Volatile.Read(ref _invalidPixelDumps) >= DumpFlags.Length)
        {
            throw new CalibrationException(
                Reader.Header.ScanId, Reader.Header.FilePath,
                $"none of its {Reader.Header.OnDumps} ON dumps has valid counts for any pixel (all zero, or NaN or infinite values); check /on/counts, which may be zero-filled or half-written");
        }
    }

    /// <summary>T_A* for the ON counts of <paramref name="block"/>: OFF interpolated per dump (§7.2), the primary form of
    /// §1.6, the §7.3 airmass correction, and NaN for low-elevation dumps. Pixel by pixel, each row's counts are checked
    /// first (formats.md <c>/dump_flag</c> bit 2): all zero or non-finite counts set the bit and give NaN. Row by row, the
    /// check and the kernel find the row in cache. <paramref name="onCounts"/> and <paramref name="taStar"/> may be the
    /// same memory.</summary>
    public void Calibrate(CountsBlock block, ReadOnlySpan<float> onCounts, Span<float> taStar)
    {
        var channels = Reader.Header.Channels;
        var pixels = Reader.Header.Pixels;
        var invalid = 0;
        Span<bool> rowValid = block.Dumps * block.Pixels <= 1024 ? stackalloc bool[block.Dumps * block.Pixels] : new bool[block.Dumps * block.Pixels];
        rowValid.Clear();
        for (var i = 0; i < block.Dumps; i++)
        {
            var d = block.FirstDump + i;
            var flags = DumpFlags.AsSpan(d * pixels, pixels);
            var lowElevation = (flags[0] & (byte)Science.DumpFlags.LowElevation) != 0;
            var interpolation = _interpolation[d];
            ReadOnlySpan<double> offBefore = lowElevation ? default : _offSpectra.Get(interpolation.Before);
            ReadOnlySpan<double> offAfter = lowElevation ? default : _offSpectra.Get(interpolation.After);
            var factor = lowElevation ? null : _airmassFactors.Get(d);
            for (var p = block.FirstPixel; p < block.FirstPixel + block.Pixels; p++)
            {
                var at = ((i * block.Pixels) + (p - block.FirstPixel)) * channels;
                var row = taStar.Slice(at, channels);

                // Before the kernel: with one buffer it overwrites the counts.
                var magnitude = AntennaTemperatureKernel.MaxCountMagnitude(onCounts.Slice(at, channels));
                if (!AntennaTemperatureKernel.AreValidCounts(magnitude))
                {
                    flags[p] |= (byte)Science.DumpFlags.InvalidCounts;
                    invalid++;
                    row.Fill(float.NaN);
                    continue;
                }

                if (lowElevation)
                {
                    row.Fill(float.NaN);
                    continue;
                }

                var pixel = new Range(p * channels, (p + 1) * channels);
                if (_gain is null)
                {
                    AntennaTemperatureKernel.Compute(
                        onCounts.Slice(at, channels), offBefore[pixel], offAfter[pixel], interpolation.WeightBefore, interpolation.WeightAfter,
                        _scale.AsSpan(pixel), row);
                }
                else
                {
                    AntennaTemperatureKernel.ComputeInterpolated(
                        onCounts.Slice(at, channels), offBefore[pixel], offAfter[pixel], interpolation.WeightBefore, interpolation.WeightAfter,
                        _scale.AsSpan(pixel), _gain.CalibrationTemperatureChange.AsSpan(pixel), _gain.HotMinusSkyChange.AsSpan(pixel), _gain.Weights[d], row);
                }

                if (factor is not null)
                {
                    TensorPrimitives.Multiply(row, factor, row);
                }

                if (MayOverflow(d, p, magnitude) && row.ContainsAny(float.PositiveInfinity, float.NegativeInfinity))
                {
                    // Finite counts so large that T_A* overflows float32: as unusable as non-finite ones.
                    flags[p] |= (byte)Science.DumpFlags.InvalidCounts;
                    invalid++;
                    row.Fill(float.NaN);
                    continue;
                }

                rowValid[(i * block.Pixels) + (p - block.FirstPixel)] = true;
            }
        }

        Interlocked.Add(ref _invalidPixelDumps, invalid);
        QualityData.Add(block.FirstDump, block.Dumps, block.FirstPixel, block.Pixels, taStar, rowValid);
    }

    // |C_ON − C_OFF| ≤ max|C_ON| + max|C_OFF|, formed in double (no overflow there), and |T_A*| ≤ that·max|scale|·max
    // airmass factor: only when that bound reaches the guard can narrowing to float32 or the airmass factor give ±∞, and
    // only then is the row searched for it.
    private bool MayOverflow(int dump, int pixel, float onMagnitude) =>
        !((onMagnitude + _offBound[pixel]) * _scaleBound[pixel] * _airmassFactorBound[dump] < OverflowGuard);

    /// <summary>exp(−τ_s·(A_mean − A)) per channel for <paramref name="dump"/>, or null when it needs no correction.</summary>
    private float[]? AirmassFactors(int dump)
    {
        var factors = new float[Solution.TauSignal.Length];
        return AntennaTemperatureKernel.AirmassFactors(Solution.TauSignal, Solution.MeanOnAirmass, _airmass[dump], factors) ? factors : null;
    }

    /// <summary>C₂ solved at the scan's mean ON airmass with its own PWV (§7.10), or null and why the scan is calibrated
    /// with C₁ alone: no C₂ (the plan's note), C₂ of other axes, sky times not finite or not in order, or C₂'s PWV fit failed.</summary>
    private static ((CalibrationProducts, CalibrationSolution)? Later, string? Note) Second(
        ScienceScanReader reader, CalibrationProducts first, SecondCalibration? gain, double meanAirmass)
    {
        if (gain is null)
        {
            return (null, null);
        }

        if (gain.Products is not { } second)
        {
            return (null, gain.Note);
        }

        var alone = $"calibrated with scan {first.Header.ScanId} alone";
        try
        {
            CalibrationMatch.RequireSameAxes(second.Axes, reader);
        }
        catch (ScanFormatException e)
        {
            return (null, $"the later calibration scan {second.Header.ScanId} does not match: {e.Reason}; {alone}");
        }

        if (!(second.Axes.SkyMeanMjd > first.Axes.SkyMeanMjd))
        {
            return (null, string.Create(
                CultureInfo.InvariantCulture,
                $"the sky dumps of calibration scans {first.Header.ScanId} and {second.Header.ScanId} do not place them in time order (mean /sky/mjd {first.Axes.SkyMeanMjd:R} and {second.Axes.SkyMeanMjd:R}); {alone}"));
        }

        if (second.Fit.Status != AtmosphereFitStatus.Ok)
        {
            return (null, $"the PWV fit of the later calibration scan {second.Header.ScanId} failed ({second.Fit.FailureReason}); {alone}");
        }

        return ((second, CalibrationSolution.Create(second.Loads, second.Fit, second.Sky, meanAirmass, second.Fit.PwvMm)), null);
    }

    /// <summary>σ_pred/T_sys of each ON dump (§7.8): √(1/(B·t_ON) + (w₀² + w₁²)/(B·t_OFF)), an OTF block of n OFF dumps
    /// counting n × the dump time, one reference on both sides counting once.</summary>
    private static double[] DumpNoise(ScienceScanReader reader, OffReference offReference, OffInterpolation[] interpolation, double bandwidthHz)
    {
        var noise = new double[interpolation.Length];
        for (var d = 0; d < noise.Length; d++)
        {
            var w = interpolation[d];
            var before = offReference.References[w.Before].OffDumpIndices.Length * reader.OffIntegrationSeconds;
            var after = offReference.References[w.After].OffDumpIndices.Length * reader.OffIntegrationSeconds;
            var off = w.Before == w.After
                ? Math.Pow(w.WeightBefore + w.WeightAfter, 2) / (bandwidthHz * before)
                : (w.WeightBefore * w.WeightBefore / (bandwidthHz * before)) + (w.WeightAfter * w.WeightAfter / (bandwidthHz * after));
            noise[d] = Math.Sqrt((1 / (bandwidthHz * reader.OnIntegrationSeconds)) + off);
        }

        return noise;
    }

    private bool EveryPixelIsBad()
    {
        var channels = Reader.Header.Channels;
        for (var p = 0; p < Reader.Header.Pixels; p++)
        {
            if ((ChannelFlags[p * channels] & (byte)Science.ChannelFlags.BadPixel) == 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Reads every OFF dump once, block by block, and checks its counts (§7.4 bits 0 and 1); returns the check
    /// and the OFF dumps that are not all zero, the only ones the references may use.</summary>
    private static (OffCountsCheck Check, int[] Usable) CheckOffCounts(ScienceScanReader reader)
    {
        var header = reader.Header;
        var check = new OffCountsCheck(header.Pixels, header.Channels);
        var dumps = reader.OffMjd.Length;
        var usable = new List<int>(dumps);
        var block = (int)Math.Clamp(OffCheckBlockBytes / header.DumpBytes, 1, Math.Max(1, dumps));
        var buffer = ArrayPool<float>.Shared.Rent(block * reader.DumpLength);
        try
        {
            for (var first = 0; first < dumps; first += block)
            {
                var n = Math.Min(block, dumps - first);
                reader.ReadOffDumps(first, n, buffer);
                for (var d = 0; d < n; d++)
                {
                    if (check.Add(buffer.AsSpan(d * reader.DumpLength, reader.DumpLength)))
                    {
                        usable.Add(first + d);
                    }
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }

        return (check, [.. usable]);
    }
}

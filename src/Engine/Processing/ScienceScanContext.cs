using Scanflow.Engine.Formats;
using Scanflow.Engine.Science;

namespace Scanflow.Engine.Processing;

/// <summary>Everything needed to calibrate the ON dumps of one science scan with one calibration, computed once per
/// scan: the calibration solution at the scan's mean ON airmass, the OFF interpolation of every ON dump, and dump
/// flags. <see cref="CalibrateDumps"/> then turns any block of ON counts into T_A*.</summary>
internal sealed class ScienceScanContext
{
    /// <summary>Elevation below which a dump is flagged and blanked (calibration.md §2.3, §7.4).</summary>
    public const double LowElevationDeg = 15.0;

    private readonly OffInterpolation[] _interpolation;
    private readonly double[] _airmass;
    private readonly OffSpectrumCache _offSpectra;

    private ScienceScanContext(ScienceScanReader reader, CalibrationProducts calibration, CalibrationSolution solution, OffReference offReference, string? pwvNote)
    {
        Reader = reader;
        Calibration = calibration;
        Solution = solution;
        PwvNote = pwvNote;
        var n = reader.OnMjd.Length;
        _interpolation = new OffInterpolation[n];
        _airmass = new double[n];
        DumpFlags = new byte[n * reader.Header.Pixels];
        for (var d = 0; d < n; d++)
        {
            _interpolation[d] = offReference.For(reader.OnMjd[d]);
            _airmass[d] = SkyModel.Airmass(reader.OnElevationDeg[d]);
            var flag = (_interpolation[d].Extrapolated ? Science.DumpFlags.OffExtrapolated : Science.DumpFlags.None)
                | (reader.OnElevationDeg[d] < LowElevationDeg ? Science.DumpFlags.LowElevation : Science.DumpFlags.None);
            DumpFlags.AsSpan(d * reader.Header.Pixels, reader.Header.Pixels).Fill((byte)flag);
        }

        _offSpectra = new OffSpectrumCache(reader, offReference);
    }

    public ScienceScanReader Reader { get; }

    public CalibrationProducts Calibration { get; }

    public CalibrationSolution Solution { get; }

    /// <summary>[n_on × n_pix] dump flags (§7.4).</summary>
    public byte[] DumpFlags { get; }

    /// <summary>Set when the PWV in use is not this calibration's own fit.</summary>
    public string? PwvNote { get; }

    /// <summary>Applies <paramref name="calibration"/> to the science scan open in <paramref name="reader"/>.</summary>
    /// <param name="reader">The science scan.</param>
    /// <param name="calibration">Products of a calibration scan with the same axes.</param>
    /// <param name="fallbackPwvMm">The last good PWV of this band, used when this calibration's fit failed (§2.5).</param>
    public static ScienceScanContext Create(ScienceScanReader reader, CalibrationProducts calibration, double? fallbackPwvMm = null)
    {
        CalibrationMatch.RequireSameAxes(calibration.Scan, reader);
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
        var offReference = OffReference.Build(reader.Header.ObsMode!.Value, reader.OffMjd, reader.OnMjd);
        return new ScienceScanContext(reader, calibration, solution, offReference, note);
    }

    /// <summary>T_A* for ON dumps [first, first + count): OFF interpolated per dump (§7.2), the primary form of §1.6,
    /// the §7.3 airmass correction, and NaN for low-elevation dumps. <paramref name="scratch"/> needs one dump.</summary>
    public void CalibrateDumps(int first, int count, ReadOnlySpan<float> onCounts, Span<float> taStar, Span<float> scratch)
    {
        var length = Reader.DumpLength;
        var channels = Reader.Header.Channels;
        Span<float> factor = scratch.Length >= length + channels ? scratch.Slice(length, channels) : new float[channels];
        for (var i = 0; i < count; i++)
        {
            var d = first + i;
            var on = onCounts.Slice(i * length, length);
            var ta = taStar.Slice(i * length, length);
            if ((DumpFlags[d * Reader.Header.Pixels] & (byte)Science.DumpFlags.LowElevation) != 0)
            {
                ta.Fill(float.NaN);
                continue;
            }

            var interpolation = _interpolation[d];
            AntennaTemperatureKernel.Compute(
                on, _offSpectra.Get(interpolation.Before), _offSpectra.Get(interpolation.After), interpolation.WeightBefore,
                interpolation.WeightAfter, Solution.Scale, ta, scratch[..length]);
            AntennaTemperatureKernel.ApplyAirmassCorrection(ta, Reader.Header.Pixels, Solution.TauSignal, Solution.MeanOnAirmass, _airmass[d], factor);
        }
    }
}

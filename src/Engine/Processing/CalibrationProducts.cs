using Scanflow.Engine.Formats;
using Scanflow.Engine.Science;

namespace Scanflow.Engine.Processing;

/// <summary>What one calibration scan yields, computed once and shared by every science scan that uses it: averaged
/// T_rx, T_sky_meas and C_hot − C_sky (not the averaged loads themselves), the PWV fit, and the checksum of the input file.</summary>
public sealed class CalibrationProducts
{
    private CalibrationProducts(CalibrationScanAxes axes, SkyModel sky, HotColdSolution loads, AtmosphereFitResult fit, string inputSha256)
    {
        Axes = axes;
        Sky = sky;
        Loads = loads;
        Fit = fit;
        InputSha256 = inputSha256;
    }

    internal CalibrationScanAxes Axes { get; }

    /// <summary>The header of the calibration scan these products come from.</summary>
    public RawScanHeader Header => Axes.Header;

    internal SkyModel Sky { get; }

    internal HotColdSolution Loads { get; }

    /// <summary>The PWV fit (calibration.md §2.5); when it failed, science scans need the last good PWV of the band.</summary>
    public AtmosphereFitResult Fit { get; }

    /// <summary>SHA-256 of the calibration scan file, recorded in the provenance of every product it calibrates.</summary>
    public string InputSha256 { get; }

    /// <summary>Reads the calibration scan at <paramref name="path"/>, solves its loads and fits the PWV. Throws
    /// <see cref="Formats.ScanFormatException"/> for a defective file and <see cref="CalibrationException"/> when no pixel is usable.</summary>
    public static CalibrationProducts Compute(string path, CalibrationOptions options)
    {
        var scan = CalibrationScanReader.Read(path);
        return Compute(scan, options, FileChecksum.Sha256(path));
    }

    internal static CalibrationProducts Compute(CalibrationScanData scan, CalibrationOptions options, string inputSha256) =>
        FitAtmosphere(SolveLoads(scan, options, inputSha256));

    /// <summary>§1.2–1.3: the loads of a calibration scan; fails when no pixel is usable.</summary>
    internal static LoadSolution SolveLoads(CalibrationScanData scan, CalibrationOptions options, string inputSha256)
    {
        var h = scan.Header;
        var axis = new SpectralAxis(h.LoFrequencyHz, h.Sideband, scan.IntermediateFrequencyHz, h.ChannelEnbwHz);
        var sky = new SkyModel(
            axis,
            SidebandWeights.FromGainRatio(h.SidebandGainRatio),
            new AtmosphereConditions(h.AmbientTemperatureK, h.ForwardEfficiency, options.AtmosphereTemperatureOffsetK),
            options.JMode,
            AtmosphereModel.Default);
        var loads = HotColdSolution.Solve(
            new CalibrationLoads(h.Pixels, h.Channels, scan.Hot, scan.Cold, scan.Sky, h.HotTemperatureK, h.ColdTemperatureK, h.ElevationDeg, scan.SkyIntegrationSeconds),
            sky);
        if (loads.PixelIsBad.All(bad => bad))
        {
            throw new CalibrationException(
                h.ScanId, h.FilePath,
                "every pixel has more than 50 % bad channels (Y ≤ 1.02, T_rx < 0 or above 5 × the median, or non-finite loads); check the hot and cold load counts");
        }

        return new LoadSolution(scan.Axes, sky, loads, inputSha256);
    }

    /// <summary>§2.5: the PWV fit of solved loads completes the calibration products.</summary>
    internal static CalibrationProducts FitAtmosphere(LoadSolution solution) =>
        new(solution.Axes, solution.Sky, solution.Loads, AtmosphereFit.Fit(solution.Loads, solution.Sky), solution.InputSha256);
}

using Scanflow.Engine.Formats;
using Scanflow.Engine.Planning;
using Scanflow.Engine.Processing;
using Scanflow.Engine.Science;
using Scanflow.Engine.Simulation;

namespace Scanflow.Engine.Tests.Processing;

/// <summary>A simulated store calibrated through the library: raw scans, truth and one L1 product per science scan.</summary>
internal sealed class CalibratedStore : IDisposable
{
    private static readonly DateTimeOffset CreatedUtc = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private readonly TempDirectory _directory = new();

    /// <summary>Simulates with <paramref name="options"/> and calibrates every science scan with the calibration the
    /// simulator made it with; with <paramref name="interpolation"/> linear, the planner pairs C₁ and C₂ (calibration.md
    /// §7.10) as the engine does.</summary>
    public CalibratedStore(SimulationOptions options, GainInterpolation interpolation = GainInterpolation.None)
    {
        Raw = _directory.Combine("raw");
        Output = _directory.Combine("l1");
        Directory.CreateDirectory(Output);
        Truth = ScanSimulator.Run(options with { OutputDirectory = Raw });
        Options = new CalibrationOptions { GainInterpolation = interpolation };
        Products = [];
        if (interpolation == GainInterpolation.Linear)
        {
            CalibrateWithTwo();
            return;
        }

        foreach (var science in Truth.Science)
        {
            var calibration = CalibrationProducts.Compute(Path.Combine(Raw, Truth.CalibrationOf(science).File), Options);
            Products[science.ScanId] = ScienceScanCalibrator.Calibrate(Path.Combine(Raw, science.File), calibration, Options, Output, CreatedUtc);
        }
    }

    public string Raw { get; }

    public string Output { get; }

    public SimulationTruth Truth { get; }

    public CalibrationOptions Options { get; }

    public Dictionary<long, L1Product> Products { get; }

    public void Dispose() => _directory.Dispose();

    private void CalibrateWithTwo()
    {
        var plan = StorePlanner.Plan([Raw], new PlanningOptions { GainInterpolation = GainInterpolation.Linear });
        var solved = new Dictionary<string, CalibrationProducts>();
        CalibrationProducts Solve(RawScanHeader header) =>
            solved.TryGetValue(header.FilePath, out var products) ? products : solved[header.FilePath] = CalibrationProducts.Compute(header.FilePath, Options);

        foreach (var planned in plan.Scans)
        {
            var later = planned.LaterCalibration is { } c2 ? Solve(c2) : null;
            Products[planned.Science.ScanId] = ScienceScanCalibrator.Calibrate(
                planned.Science.FilePath, Solve(planned.Calibration), Options, Output, CreatedUtc, ScanChunking.DefaultChunkBytes, fallbackPwvMm: null,
                new SecondCalibration(later, planned.GainInterpolationNote));
        }
    }
}

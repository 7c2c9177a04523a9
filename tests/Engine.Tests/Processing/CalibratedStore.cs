using Scanflow.Engine.Formats;
using Scanflow.Engine.Processing;
using Scanflow.Engine.Science;
using Scanflow.Engine.Simulation;

namespace Scanflow.Engine.Tests.Processing;

/// <summary>A simulated store calibrated through the library: raw scans, truth and one L1 product per science scan.</summary>
internal sealed class CalibratedStore : IDisposable
{
    private readonly TempDirectory _directory = new();

    public CalibratedStore(SimulationOptions options)
    {
        Raw = _directory.Combine("raw");
        Output = _directory.Combine("l1");
        Directory.CreateDirectory(Output);
        Truth = ScanSimulator.Run(options with { OutputDirectory = Raw });
        var calibrationOptions = new CalibrationOptions();
        Products = [];
        foreach (var science in Truth.Science)
        {
            var calibration = CalibrationProducts.Compute(Path.Combine(Raw, Truth.CalibrationOf(science).File), calibrationOptions);
            Products[science.ScanId] = ScienceScanCalibrator.Calibrate(
                Path.Combine(Raw, science.File), calibration, calibrationOptions, Output, new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
        }
    }

    public string Raw { get; }

    public string Output { get; }

    public SimulationTruth Truth { get; }

    public Dictionary<long, L1Product> Products { get; }

    public void Dispose() => _directory.Dispose();
}

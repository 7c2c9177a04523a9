using System.Collections.Concurrent;
using Scanflow.Engine.Formats;
using Scanflow.Engine.Processing;

namespace Scanflow.Blocks;

/// <summary>Each calibration scan is read, solved and fitted once, however many science scans use it; a failure is
/// cached too, so every science scan of a bad calibration fails with the same reason without re-reading it.</summary>
internal sealed class CalibrationCache(CalibrationOptions options)
{
    private readonly ConcurrentDictionary<string, Lazy<(CalibrationScanData Scan, string Sha256)>> _inputs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<LoadSolution>> _loads = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<CalibrationProducts>> _products = new(StringComparer.Ordinal);

    /// <summary>Load stage: the loads averaged over their dumps, and the file's checksum.</summary>
    public void Read(string path) => _ = Input(path);

    /// <summary>Calibrate stage: T_rx, G, T_sky_meas and flags (§1.2–1.3).</summary>
    public LoadSolution Loads(string path) =>
        _loads.GetOrAdd(path, p => new Lazy<LoadSolution>(() =>
        {
            var (scan, sha256) = Input(p);
            return CalibrationProducts.SolveLoads(scan, options, sha256);
        })).Value;

    /// <summary>Atmosphere stage: the PWV fit of the solved loads (§2.5).</summary>
    public CalibrationProducts Products(string path) =>
        _products.GetOrAdd(path, p => new Lazy<CalibrationProducts>(() => CalibrationProducts.FitAtmosphere(Loads(p)))).Value;

    private (CalibrationScanData Scan, string Sha256) Input(string path) =>
        _inputs.GetOrAdd(path, p => new Lazy<(CalibrationScanData, string)>(() => (CalibrationScanReader.Read(p), FileChecksum.Sha256(p)))).Value;
}

using Scanflow.Engine.Formats;
using Scanflow.Engine.Processing;

namespace Scanflow.Blocks;

/// <summary>One calibration scan's products in <see cref="CalibrationCache"/>, each computed at most once while the
/// entry lives; a failure is kept like a result. The averaged loads are let go once solved: at CHAI's shape they are
/// three arrays of 32 MiB that nothing reads afterwards.</summary>
internal sealed class CachedCalibration
{
    /// <summary>What a solved calibration holds per pixel × channel: T_rx, T_sky_meas and C_hot − C_sky in double, and
    /// the flags.</summary>
    public const int BytesPerElement = (3 * sizeof(double)) + 1;

    private Lazy<(CalibrationScanData Scan, string Sha256)>? _input;
    private long _elements;

    public CachedCalibration(string path, string? sha256, CalibrationOptions options)
    {
        _input = new Lazy<(CalibrationScanData Scan, string Sha256)>(() =>
        {
            var scan = CalibrationScanReader.Read(path);
            Volatile.Write(ref _elements, (long)scan.Header.Pixels * scan.Header.Channels);
            return (scan, sha256 ?? FileChecksum.Sha256(path));
        });
        Loads = new Lazy<LoadSolution>(() =>
        {
            var solution = Solve(options);
            LargeArrays.Released(solution.Loads.Pixels, solution.Loads.Channels);
            return solution;
        });
        Products = new Lazy<CalibrationProducts>(() => CalibrationProducts.FitAtmosphere(Loads.Value));
    }

    public Lazy<LoadSolution> Loads { get; }

    public Lazy<CalibrationProducts> Products { get; }

    /// <summary>The memory the entry holds once solved; 0 until its file was read.</summary>
    public long Bytes => Volatile.Read(ref _elements) * BytesPerElement;

    /// <summary>When the entry was last asked for, in <see cref="CalibrationCache"/>'s own count.</summary>
    public long LastUsed { get; set; }

    /// <summary>Solves the loads and lets them go; once this returns nothing refers to them.</summary>
    private LoadSolution Solve(CalibrationOptions options)
    {
        var (scan, inputSha256) = _input!.Value;
        try
        {
            return CalibrationProducts.SolveLoads(scan, options, inputSha256);
        }
        finally
        {
            // Solved or failed for good (a Lazy keeps its exception): either way the loads are not read again.
            Volatile.Write(ref _input, null);
        }
    }

    /// <summary>Reads and averages the loads (or rethrows why that failed); nothing to do once they are solved.</summary>
    public void Read() => _ = Volatile.Read(ref _input)?.Value;
}

using Scanflow.Engine.Formats;
using Scanflow.Engine.Processing;

namespace Scanflow.Blocks;

/// <summary>One calibration scan's products in <see cref="CalibrationCache"/>, each computed at most once while the
/// entry lives; a failure is kept like a result.</summary>
internal sealed class CachedCalibration
{
    /// <summary>What a solved calibration holds per pixel × channel: its averaged loads and solution, in double.</summary>
    public const int BytesPerElement = 7 * sizeof(double);

    public CachedCalibration(string path, string? sha256, CalibrationOptions options)
    {
        Input = new Lazy<(CalibrationScanData Scan, string Sha256)>(() => (CalibrationScanReader.Read(path), sha256 ?? FileChecksum.Sha256(path)));
        Loads = new Lazy<LoadSolution>(() => CalibrationProducts.SolveLoads(Input.Value.Scan, options, Input.Value.Sha256));
        Products = new Lazy<CalibrationProducts>(() => CalibrationProducts.FitAtmosphere(Loads.Value));
    }

    public Lazy<(CalibrationScanData Scan, string Sha256)> Input { get; }

    public Lazy<LoadSolution> Loads { get; }

    public Lazy<CalibrationProducts> Products { get; }

    /// <summary>The memory the entry holds once solved; 0 until its file was read (or when reading it failed).</summary>
    public long Bytes => Input.IsValueCreated ? (long)Input.Value.Scan.Header.Pixels * Input.Value.Scan.Header.Channels * BytesPerElement : 0;

    /// <summary>When the entry was last asked for, in <see cref="CalibrationCache"/>'s own count.</summary>
    public long LastUsed { get; set; }
}

using Scanflow.Engine.Formats;
using Scanflow.Engine.Science;

namespace Scanflow.Engine.Processing;

/// <summary>A calibration scan's loads solved (T_rx, G, T_sky_meas, flags) with the sky model of its header: the
/// "calibrate" half of <see cref="CalibrationProducts"/>, before the atmosphere fit.</summary>
internal sealed record LoadSolution(CalibrationScanData Scan, SkyModel Sky, HotColdSolution Loads, string InputSha256);

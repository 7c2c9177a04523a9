using Scanflow.Engine.Formats;
using Scanflow.Engine.Science;

namespace Scanflow.Engine.Processing;

/// <summary>A calibration scan's loads solved (T_rx, T_sky_meas, C_hot − C_sky, flags) with the sky model of its header:
/// the "calibrate" half of <see cref="CalibrationProducts"/>, before the atmosphere fit. It holds no averaged loads.</summary>
internal sealed record LoadSolution(CalibrationScanAxes Axes, SkyModel Sky, HotColdSolution Loads, string InputSha256);

namespace Scanflow.Engine.Science;

/// <summary>Ambient conditions of a calibration: T_amb [K], η_f, and the slab offset T_atm = T_amb + offset (calibration.md §2.3, default −10 K).</summary>
internal sealed record AtmosphereConditions(double AmbientTemperatureK, double ForwardEfficiency, double AtmosphereTemperatureOffsetK = -10.0)
{
    /// <summary>T_atm of the single slab (calibration.md §2.3).</summary>
    public double AtmosphereTemperatureK => AmbientTemperatureK + AtmosphereTemperatureOffsetK;
}

namespace Scanflow.Engine.Science;

/// <summary>SI 2019 exact constants and the CMB temperature of calibration.md §1.4.</summary>
internal static class PhysicalConstants
{
    /// <summary>Planck constant h [J s].</summary>
    public const double Planck = 6.62607015e-34;

    /// <summary>Boltzmann constant k [J/K].</summary>
    public const double Boltzmann = 1.380649e-23;

    /// <summary>T_cmb [K] (calibration.md §1.4).</summary>
    public const double CmbTemperatureK = 2.725;
}

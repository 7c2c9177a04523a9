namespace Scanflow.Engine.Science;

/// <summary>Radiation temperature J(ν, T) of calibration.md §1.1.</summary>
internal static class RadiationTemperature
{
    /// <summary>J(ν, T) in K for one frequency [Hz] and physical temperature [K].</summary>
    public static double J(double frequencyHz, double temperatureK, JMode mode)
    {
        if (mode == JMode.RayleighJeans)
        {
            return temperatureK;
        }

        // calibration.md §1.1: J = (hν/k) / (exp(hν/kT) − 1); expm1 keeps it exact for hν ≪ kT.
        double hvOverK = PhysicalConstants.Planck * frequencyHz / PhysicalConstants.Boltzmann;
        double planck = hvOverK / ExpM1(hvOverK / temperatureK);
        return mode switch
        {
            JMode.Planck => planck,
            JMode.CallenWelton => planck + 0.5 * hvOverK, // zero-point term hν/2k
            _ => throw new ArgumentOutOfRangeException(nameof(mode)),
        };
    }

    /// <summary>exp(x) − 1 without cancellation (Kahan's trick); double.ExpM1 is exp(x) − 1 computed naively.</summary>
    internal static double ExpM1(double x)
    {
        double u = Math.Exp(x);
        if (u == 1.0 || double.IsNaN(u))
        {
            return double.IsNaN(u) ? u : x;
        }

        double um1 = u - 1.0;
        if (um1 == -1.0 || double.IsPositiveInfinity(u))
        {
            return um1;
        }

        return um1 * x / Math.Log(u);
    }
}

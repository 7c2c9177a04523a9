namespace Scanflow.Engine.Science;

/// <summary>How a physical temperature becomes a radiation temperature (calibration.md §1.1).</summary>
public enum JMode
{
    /// <summary>Planck: J = (hν/k) / (exp(hν/kT) − 1).</summary>
    Planck,

    /// <summary>Callen–Welton: Planck plus the zero-point term hν/2k (GREAT `kalibrate`).</summary>
    CallenWelton,

    /// <summary>Rayleigh–Jeans, J = T: a test option only.</summary>
    RayleighJeans,
}

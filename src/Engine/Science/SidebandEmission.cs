namespace Scanflow.Engine.Science;

/// <summary>Per-channel constants of one sideband for the slab sky of calibration.md §1.4.</summary>
internal sealed class SidebandEmission
{
    public SidebandEmission(double[] frequencyHz, AtmosphereConditions conditions, JMode mode, AtmosphereModel model)
    {
        int channels = frequencyHz.Length;
        AtmosphereJ = new double[channels];
        CmbJ = new double[channels];
        AmbientJ = new double[channels];
        DryOpacity = new double[channels];
        WetOpacityPerMm = new double[channels];
        for (int k = 0; k < channels; k++)
        {
            double nu = frequencyHz[k];
            AtmosphereJ[k] = RadiationTemperature.J(nu, conditions.AtmosphereTemperatureK, mode);
            CmbJ[k] = RadiationTemperature.J(nu, PhysicalConstants.CmbTemperatureK, mode);
            AmbientJ[k] = RadiationTemperature.J(nu, conditions.AmbientTemperatureK, mode);
            DryOpacity[k] = model.DryOpacity(nu);
            WetOpacityPerMm[k] = model.WetOpacityPerMm(nu);
        }
    }

    public double[] AtmosphereJ { get; }

    public double[] CmbJ { get; }

    public double[] AmbientJ { get; }

    public double[] DryOpacity { get; }

    public double[] WetOpacityPerMm { get; }

    /// <summary>τ_x = τ_dry + PWV·κ_wet (calibration.md §2.1), the same arithmetic as <see cref="AtmosphereModel.ZenithOpacity"/>.</summary>
    public double ZenithOpacity(int k, double pwvMm) => DryOpacity[k] + pwvMm * WetOpacityPerMm[k];

    /// <summary>t_x = exp(−τ_x·A) (calibration.md §1.4).</summary>
    public double Transmission(int k, double pwvMm, double airmass) => Math.Exp(-ZenithOpacity(k, pwvMm) * airmass);

    /// <summary>T_sky,x = η_f·[J(ν,T_atm)(1 − t) + J(ν,T_cmb)·t] + (1 − η_f)·J(ν,T_amb) (calibration.md §1.4).</summary>
    public double Brightness(int k, double pwvMm, double airmass, double forwardEfficiency)
    {
        double t = Transmission(k, pwvMm, airmass);
        return forwardEfficiency * ((AtmosphereJ[k] * (1.0 - t)) + (CmbJ[k] * t)) + ((1.0 - forwardEfficiency) * AmbientJ[k]);
    }
}

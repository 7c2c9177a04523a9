namespace Scanflow.Engine.Science;

/// <summary>
/// The DSB sky brightness the receiver sees through a slab atmosphere (calibration.md §1.4). Shared by the
/// simulator's forward model (§3.2) and the pipeline's PWV fit (§2.5), so noiseless data are recovered exactly.
/// </summary>
internal sealed class SkyModel
{
    private readonly SidebandEmission _signal;
    private readonly SidebandEmission _image;

    public SkyModel(SpectralAxis axis, SidebandWeights weights, AtmosphereConditions conditions, JMode mode, AtmosphereModel model)
    {
        ArgumentNullException.ThrowIfNull(axis);
        ArgumentNullException.ThrowIfNull(conditions);
        ArgumentNullException.ThrowIfNull(model);
        Axis = axis;
        Weights = weights;
        Conditions = conditions;
        Mode = mode;
        Model = model;
        _signal = new SidebandEmission(axis.SignalFrequencyHz, conditions, mode, model);
        _image = new SidebandEmission(axis.ImageFrequencyHz, conditions, mode, model);
    }

    public SpectralAxis Axis { get; }

    public SidebandWeights Weights { get; }

    public AtmosphereConditions Conditions { get; }

    public JMode Mode { get; }

    public AtmosphereModel Model { get; }

    /// <summary>A = 1/sin(el), plain (calibration.md §2.3; no Kasten–Young).</summary>
    public static double Airmass(double elevationDeg) => 1.0 / Math.Sin(elevationDeg * Math.PI / 180.0);

    /// <summary>J_L = g_s·J(ν_s, T) + g_i·J(ν_i, T) of a load at physical temperature T, per channel (calibration.md §1.1).</summary>
    public void LoadRadiation(double temperatureK, Span<double> destination)
    {
        for (int k = 0; k < Axis.Channels; k++)
        {
            destination[k] = (Weights.Signal * RadiationTemperature.J(Axis.SignalFrequencyHz[k], temperatureK, Mode))
                + (Weights.Image * RadiationTemperature.J(Axis.ImageFrequencyHz[k], temperatureK, Mode));
        }
    }

    /// <summary>τ_s[k], τ_i[k] at zenith (calibration.md §2.1, §2.5).</summary>
    public void ZenithOpacity(double pwvMm, Span<double> tauSignal, Span<double> tauImage)
    {
        int channels = RequireLength(tauSignal.Length, tauImage.Length);
        for (int k = 0; k < channels; k++)
        {
            tauSignal[k] = _signal.ZenithOpacity(k, pwvMm);
            tauImage[k] = _image.ZenithOpacity(k, pwvMm);
        }
    }

    /// <summary>t_s[k], t_i[k] = exp(−τ·A) (calibration.md §1.4).</summary>
    public void Transmission(double pwvMm, double airmass, Span<double> trSignal, Span<double> trImage)
    {
        int channels = RequireLength(trSignal.Length, trImage.Length);
        for (int k = 0; k < channels; k++)
        {
            trSignal[k] = _signal.Transmission(k, pwvMm, airmass);
            trImage[k] = _image.Transmission(k, pwvMm, airmass);
        }
    }

    /// <summary>T_sky_model = g_s·T_sky,s + g_i·T_sky,i for one channel [K] (calibration.md §1.4).</summary>
    public double Brightness(int channel, double pwvMm, double airmass)
    {
        double eta = Conditions.ForwardEfficiency;
        return (Weights.Signal * _signal.Brightness(channel, pwvMm, airmass, eta))
            + (Weights.Image * _image.Brightness(channel, pwvMm, airmass, eta));
    }

    /// <summary>T_sky_model for every channel [K] (calibration.md §1.4).</summary>
    public void Brightness(double pwvMm, double airmass, Span<double> destination)
    {
        if (destination.Length < Axis.Channels)
        {
            throw new ArgumentException($"The destination holds {destination.Length} values; the axis has {Axis.Channels} channels.", nameof(destination));
        }

        for (int k = 0; k < Axis.Channels; k++)
        {
            destination[k] = Brightness(k, pwvMm, airmass);
        }
    }

    private int RequireLength(int signalLength, int imageLength)
    {
        if (signalLength < Axis.Channels || imageLength < Axis.Channels)
        {
            throw new ArgumentException($"Destinations must hold {Axis.Channels} channels.");
        }

        return Axis.Channels;
    }
}

namespace Scanflow.Engine.Simulation;

/// <summary>The injected source: lines plus continuum, optionally a Gaussian on the sky (OTF maps) centred on offset 0.</summary>
public sealed record SourceTruth(IReadOnlyList<SpectralLine> Lines, double ContinuumK, double? SourceFwhmArcsec)
{
    /// <summary>T_src at a channel's signal frequency and an array-centre offset, evaluated at the channel centre.</summary>
    public double Brightness(double signalFrequencyHz, double offsetLonArcsec, double offsetLatArcsec) =>
        SpatialFactor(offsetLonArcsec, offsetLatArcsec) * Spectrum(signalFrequencyHz);

    /// <summary>The source spectrum T_src [K] at a signal frequency, at the source centre: the continuum plus the Gaussian lines.</summary>
    public double Spectrum(double signalFrequencyHz)
    {
        var t = ContinuumK;
        foreach (var line in Lines)
        {
            var x = (signalFrequencyHz - line.CenterHz) / line.FwhmHz;
            t += line.AmplitudeK * Math.Exp(-4 * Math.Log(2) * x * x);
        }

        return t;
    }

    /// <summary>The source's brightness at an offset, relative to its centre at offset 0: a Gaussian for an OTF source, 1 for a TP source.</summary>
    public double SpatialFactor(double offsetLonArcsec, double offsetLatArcsec)
    {
        if (SourceFwhmArcsec is not { } fwhm)
        {
            return 1.0;
        }

        var r2 = (offsetLonArcsec * offsetLonArcsec) + (offsetLatArcsec * offsetLatArcsec);
        return Math.Exp(-4 * Math.Log(2) * r2 / (fwhm * fwhm));
    }
}

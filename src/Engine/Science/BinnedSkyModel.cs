namespace Scanflow.Engine.Science;

/// <summary>
/// T_sky_model averaged over the same channels as the data of each <see cref="FitBin"/> (calibration.md §7.5:
/// the model is not evaluated at the bin centre). Holds the per-channel model of the last PWV it evaluated.
/// </summary>
internal sealed class BinnedSkyModel
{
    private readonly SkyModel _sky;
    private readonly double _airmass;
    private readonly int[] _edges;
    private readonly double[] _channelModel;
    private readonly double[] _fullBinMean;
    private double _pwvMm = double.NaN;

    public BinnedSkyModel(SkyModel sky, double airmass, int[] edges)
    {
        _sky = sky;
        _airmass = airmass;
        _edges = edges;
        _channelModel = new double[sky.Axis.Channels];
        _fullBinMean = new double[edges.Length - 1];
    }

    /// <summary>Model mean of one bin at <paramref name="pwvMm"/> [K].</summary>
    public double Mean(FitBin bin, double pwvMm)
    {
        Evaluate(pwvMm);
        if (bin.Channels is null)
        {
            return _fullBinMean[bin.Bin];
        }

        return MeanOver(bin.ChannelList);
    }

    /// <summary>χ²(PWV) = Σ w·(T_sky_meas − T_sky_model)² over the bins (calibration.md §2.5).</summary>
    public double ChiSquare(IReadOnlyList<FitBin> bins, double pwvMm)
    {
        double sum = 0.0;
        foreach (var bin in bins)
        {
            double r = bin.Data - Mean(bin, pwvMm);
            sum += bin.Weight * r * r;
        }

        return sum;
    }

    private void Evaluate(double pwvMm)
    {
        if (pwvMm.Equals(_pwvMm))
        {
            return;
        }

        _sky.Brightness(pwvMm, _airmass, _channelModel);
        for (int b = 0; b < _fullBinMean.Length; b++)
        {
            // Summed in channel order and divided by the count, exactly as MeanOver does for a partial bin.
            double sum = 0.0;
            for (int k = _edges[b]; k < _edges[b + 1]; k++)
            {
                sum += _channelModel[k];
            }

            _fullBinMean[b] = sum / (_edges[b + 1] - _edges[b]);
        }

        _pwvMm = pwvMm;
    }

    private double MeanOver(ReadOnlySpan<int> channels)
    {
        double sum = 0.0;
        foreach (int k in channels)
        {
            sum += _channelModel[k];
        }

        return sum / channels.Length;
    }
}

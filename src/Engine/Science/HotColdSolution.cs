namespace Scanflow.Engine.Science;

/// <summary>
/// Receiver temperature and measured sky temperature of one hot/cold/sky calibration, per pixel and channel
/// (calibration.md §1.2, §1.3), C_hot − C_sky for the §1.6 scale, and the channel and pixel flags of §7.4 bits 0 and 1.
/// It keeps no reference to the averaged loads, so they can go once solved.
/// </summary>
internal sealed class HotColdSolution
{
    /// <summary>Y at or below this is a dead or saturated channel (calibration.md §1.2).</summary>
    internal const double MinimumYFactor = 1.02;

    /// <summary>T_rx above this multiple of the channel's median over pixels is bad (§1.2).</summary>
    internal const double MaximumReceiverTemperatureOverMedian = 5.0;

    /// <summary>A pixel with more than this fraction of bad channels is bad (§1.2).</summary>
    internal const double MaximumBadChannelFraction = 0.5;

    private HotColdSolution(CalibrationLoads loads)
    {
        Pixels = loads.Pixels;
        Channels = loads.Channels;
        ElevationDeg = loads.ElevationDeg;
        SkyIntegrationSeconds = loads.SkyIntegrationSeconds;
        int size = Pixels * Channels;
        HotRadiationK = new double[Channels];
        ColdRadiationK = new double[Channels];
        ReceiverTemperatureK = new double[size];
        SkyTemperatureK = new double[size];
        HotMinusSkyCounts = new double[size];
        Flags = new ChannelFlags[size];
        PixelIsBad = new bool[Pixels];
    }

    public int Pixels { get; }

    public int Channels { get; }

    /// <summary>The calibration scan's elevation (§7.3: T_sky_meas and the PWV fit use it).</summary>
    public double ElevationDeg { get; }

    /// <summary>The total sky integration, n_sky_dumps × integration_s (the radiometer noise of §7.5).</summary>
    public double SkyIntegrationSeconds { get; }

    /// <summary>J_hot = g_s·J(ν_s,T_hot) + g_i·J(ν_i,T_hot) per channel [K] (§1.1).</summary>
    public double[] HotRadiationK { get; }

    /// <summary>J_cold per channel [K] (§1.1).</summary>
    public double[] ColdRadiationK { get; }

    /// <summary>DSB T_rx [K], flat [p·K + k].</summary>
    public double[] ReceiverTemperatureK { get; }

    /// <summary>T_sky_meas [K], flat [p·K + k] (§1.3).</summary>
    public double[] SkyTemperatureK { get; }

    /// <summary>C_hot − C_sky [counts], flat [p·K + k]: the denominator of the §1.6 primary form. Of the averaged loads
    /// only this is kept (Y and G are needed while solving only), so a cached calibration holds three arrays, not seven.</summary>
    public double[] HotMinusSkyCounts { get; }

    /// <summary>BadChannel and BadPixel bits, flat [p·K + k] (§7.4).</summary>
    public ChannelFlags[] Flags { get; }

    public bool[] PixelIsBad { get; }

    /// <summary>Solves §1.2–1.3 for every pixel and channel; the sky model supplies the axis, g_s/g_i and the J mode.</summary>
    public static HotColdSolution Solve(CalibrationLoads loads, SkyModel sky)
    {
        ArgumentNullException.ThrowIfNull(loads);
        ArgumentNullException.ThrowIfNull(sky);
        Validate(loads, sky);

        var solution = new HotColdSolution(loads);
        solution.ComputeLoadRadiation(sky, loads);
        solution.ComputeReceiver(loads);
        solution.FlagChannelsAboveMedian();
        solution.FlagPixels();
        return solution;
    }

    private static void Validate(CalibrationLoads loads, SkyModel sky)
    {
        if (loads.Pixels <= 0 || loads.Channels <= 0)
        {
            throw new ArgumentException($"A calibration needs pixels and channels; got {loads.Pixels} × {loads.Channels}.", nameof(loads));
        }

        if (loads.Channels != sky.Axis.Channels)
        {
            throw new ArgumentException($"The loads have {loads.Channels} channels; the spectral axis has {sky.Axis.Channels}.", nameof(loads));
        }

        int size = loads.Pixels * loads.Channels;
        if (loads.Hot?.Length != size || loads.Cold?.Length != size || loads.Sky?.Length != size)
        {
            throw new ArgumentException($"Hot, Cold and Sky must each hold Pixels × Channels = {size} values.", nameof(loads));
        }
    }

    // calibration.md §1.1: DSB load radiation J_L = g_s·J(ν_s,T_L) + g_i·J(ν_i,T_L).
    private void ComputeLoadRadiation(SkyModel sky, CalibrationLoads loads)
    {
        sky.LoadRadiation(loads.HotTemperatureK, HotRadiationK);
        sky.LoadRadiation(loads.ColdTemperatureK, ColdRadiationK);
    }

    // §1.2–1.3 per pixel and channel, and the parts of §7.4 bit 0 that need Y, G or the loads (then dropped).
    private void ComputeReceiver(CalibrationLoads loads)
    {
        for (int p = 0; p < Pixels; p++)
        {
            for (int k = 0; k < Channels; k++)
            {
                int i = (p * Channels) + k;
                double hot = loads.Hot[i];
                double cold = loads.Cold[i];
                double skyCounts = loads.Sky[i];
                double jHot = HotRadiationK[k];
                double jCold = ColdRadiationK[k];

                // calibration.md §1.2: Y = C_hot/C_cold, T_rx = (J_hot − Y·J_cold)/(Y − 1), G = (C_hot − C_cold)/(J_hot − J_cold).
                double y = hot / cold;
                double gain = (hot - cold) / (jHot - jCold);
                double trx = (jHot - (y * jCold)) / (y - 1.0);
                ReceiverTemperatureK[i] = trx;

                // calibration.md §1.3: T_sky_meas = J_hot − (C_hot − C_sky)/G.
                double tsky = jHot - ((hot - skyCounts) / gain);
                SkyTemperatureK[i] = tsky;
                HotMinusSkyCounts[i] = hot - skyCounts;

                // calibration.md §7.4 bit 0 but for the median bound (FlagChannelsAboveMedian): any non-finite value, Y ≤ 1.02, T_rx < 0.
                bool allFinite = double.IsFinite(hot) && double.IsFinite(cold) && double.IsFinite(skyCounts)
                    && double.IsFinite(y) && double.IsFinite(trx) && double.IsFinite(gain) && double.IsFinite(tsky);
                if (!allFinite || y <= MinimumYFactor || trx < 0.0)
                {
                    Flags[i] |= ChannelFlags.BadChannel;
                }
            }
        }
    }

    // calibration.md §7.4 bit 0: T_rx above 5 × the channel's median over pixels.
    private void FlagChannelsAboveMedian()
    {
        var finite = new double[Pixels];
        for (int k = 0; k < Channels; k++)
        {
            int count = 0;
            for (int p = 0; p < Pixels; p++)
            {
                double trx = ReceiverTemperatureK[(p * Channels) + k];
                if (double.IsFinite(trx))
                {
                    finite[count++] = trx;
                }
            }

            // The median over the pixels whose T_rx is finite; NaN (no bound) when there are none.
            double limit = MaximumReceiverTemperatureOverMedian * Median.OfInPlace(finite.AsSpan(0, count));
            for (int p = 0; p < Pixels; p++)
            {
                int i = (p * Channels) + k;
                if (ReceiverTemperatureK[i] > limit)
                {
                    Flags[i] |= ChannelFlags.BadChannel;
                }
            }
        }
    }

    // calibration.md §7.4 bit 1: more than 50 % bad channels flags the whole pixel.
    private void FlagPixels()
    {
        for (int p = 0; p < Pixels; p++)
        {
            PixelIsBad[p] = FlagPixelIfMostlyBad(Flags.AsSpan(p * Channels, Channels));
        }
    }

    /// <summary>calibration.md §7.4 bit 1 on one pixel's row of flags: when more than 50 % of its channels are bad,
    /// sets BadPixel on all of them and returns true (also for a row already flagged so).</summary>
    internal static bool FlagPixelIfMostlyBad(Span<ChannelFlags> row)
    {
        int bad = 0;
        foreach (var flag in row)
        {
            if ((flag & ChannelFlags.BadChannel) != 0)
            {
                bad++;
            }
        }

        if (bad <= MaximumBadChannelFraction * row.Length)
        {
            return false;
        }

        for (int k = 0; k < row.Length; k++)
        {
            row[k] |= ChannelFlags.BadPixel;
        }

        return true;
    }
}

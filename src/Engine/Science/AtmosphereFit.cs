using System.Globalization;

namespace Scanflow.Engine.Science;

/// <summary>
/// The PWV fit of stage "determine atmosphere" (calibration.md §2.5), exactly as fixed by §7.5: binned
/// T_sky_meas of all good pixels against the binned slab model, three passes, bounded Brent minimisation.
/// </summary>
internal static class AtmosphereFit
{
    /// <summary>PWV search interval [mm] (§2.5).</summary>
    internal const double MinimumPwvMm = 0.01;

    internal const double MaximumPwvMm = 5.0;

    /// <summary>Brent tolerance [mm]: tighter than the spec's 1e-6 so noiseless data give T_sys to 1e-6 relative.</summary>
    internal const double PwvToleranceMm = 1e-9;

    /// <summary>A result this close to a bound [mm] is "on the bound" (§2.5 failure rule).</summary>
    internal const double BoundProximityMm = 1e-6;

    /// <summary>nb = min(256, N_ch) bins per pixel (§7.5).</summary>
    internal const int MaximumBins = 256;

    /// <summary>Bins with any channel below this t_s or t_i are dropped in pass 2 (§7.5).</summary>
    internal const double CoreTransmission = CalibrationSolution.CoreTransmission;

    /// <summary>Pass 3 clips |r/σ| above this multiple of the RMS of r/σ (§7.5).</summary>
    internal const double ClipFactor = 5.0;

    internal const double MaximumResidualRmsK = 10.0;

    internal const int MinimumBins = 10;

    /// <summary>Step of the central second difference for χ″ [mm].</summary>
    internal const double CurvatureStepMm = 1e-3;

    /// <summary>Fits PWV to one calibration. Elevation and t_sky come from <paramref name="loads"/>; B from the sky model's axis.</summary>
    public static AtmosphereFitResult Fit(HotColdSolution loads, SkyModel sky)
    {
        ArgumentNullException.ThrowIfNull(loads);
        ArgumentNullException.ThrowIfNull(sky);
        if (loads.Channels != sky.Axis.Channels)
        {
            throw new ArgumentException($"The calibration has {loads.Channels} channels; the sky model has {sky.Axis.Channels}.", nameof(sky));
        }

        double skySeconds = loads.SkyIntegrationSeconds;
        if (!double.IsFinite(skySeconds) || skySeconds <= 0)
        {
            throw new ArgumentException($"The total sky integration must be > 0 s; got {skySeconds}.", nameof(loads));
        }

        int channels = loads.Channels;
        double airmass = SkyModel.Airmass(loads.ElevationDeg); // §7.3: the calibration's elevation
        double radiometer = Math.Sqrt(sky.Axis.NoiseBandwidthHz * skySeconds);
        int[] edges = BinEdges(channels);
        var model = new BinnedSkyModel(sky, airmass, edges);
        var pixelPwv = new double[loads.Pixels];
        pixelPwv.AsSpan().Fill(double.NaN);

        // Pass 1: every valid bin of every good pixel.
        var bins = BuildBins(loads, edges, radiometer);
        if (bins.Count == 0)
        {
            return new AtmosphereFitResult(double.NaN, double.NaN, pixelPwv, double.NaN, AtmosphereFitStatus.Failed, 0, "no valid bins");
        }

        double pwv = Minimize(model, bins);

        // Pass 2: drop bins with any channel in an atmosphere core (t_s or t_i < 0.05) at the pass-1 PWV.
        var trSignal = new double[channels];
        var trImage = new double[channels];
        sky.Transmission(pwv, airmass, trSignal, trImage);
        bins = bins.FindAll(bin => !TouchesCore(bin, trSignal, trImage));
        if (bins.Count == 0)
        {
            string reason = string.Create(CultureInfo.InvariantCulture, $"no bins outside the atmosphere cores at the pass-1 PWV {pwv:0.######} mm");
            return new AtmosphereFitResult(pwv, double.NaN, pixelPwv, double.NaN, AtmosphereFitStatus.Failed, 0, OnBound(pwv) ? $"{reason}; {BoundReason(pwv)}" : reason);
        }

        pwv = Minimize(model, bins);

        // Pass 3: one 5σ clip of the weighted residuals, refit if any bin went.
        var kept = Clip(model, bins, pwv);
        if (kept.Count < bins.Count)
        {
            bins = kept;
            pwv = Minimize(model, bins);
        }

        // Per-pixel diagnostic PWV on each pixel's final bins; pixels are independent, so they run in parallel
        // with one model each (the result does not depend on the schedule).
        var pixelBins = bins.GroupBy(bin => bin.Pixel).Select(group => (Pixel: group.Key, Bins: group.ToList())).ToArray();
        Parallel.ForEach(pixelBins, pixel =>
            pixelPwv[pixel.Pixel] = Minimize(new BinnedSkyModel(sky, airmass, edges), pixel.Bins));

        double chiSquare = model.ChiSquare(bins, pwv);
        double rms = ResidualRms(model, bins, pwv);
        double error = PwvError(model, bins, pwv, chiSquare);
        string? failure = FailureReason(pwv, rms, bins.Count);
        return new AtmosphereFitResult(
            pwv,
            error,
            pixelPwv,
            rms,
            failure is null ? AtmosphereFitStatus.Ok : AtmosphereFitStatus.Failed,
            bins.Count,
            failure);
    }

    /// <summary>
    /// Edges round(linspace(0, N, nb + 1)); numpy.round rounds half to even, hence <see cref="MidpointRounding.ToEven"/>.
    /// linspace's j·(N/nb) is reproduced term by term (exact here: nb is 256 or N).
    /// </summary>
    internal static int[] BinEdges(int channels)
    {
        int count = Math.Min(MaximumBins, channels);
        double step = (double)channels / count;
        var edges = new int[count + 1];
        for (int j = 0; j < count; j++)
        {
            edges[j] = (int)Math.Round(j * step, MidpointRounding.ToEven);
        }

        edges[count] = channels;
        return edges;
    }

    /// <summary>
    /// Data = mean T_sky_meas over the bin's unflagged channels. σ_k = (T_rx + T_sky_meas)/√(B·t_sky) (§7.5);
    /// σ_bin = mean(σ_k over those channels)/√n: the σ of an n-channel mean with independent channel noise.
    /// </summary>
    internal static List<FitBin> BuildBins(HotColdSolution loads, int[] edges, double radiometer)
    {
        var bins = new List<FitBin>();
        var used = new List<int>();
        int channels = loads.Channels;
        for (int p = 0; p < loads.Pixels; p++)
        {
            if (loads.PixelIsBad[p])
            {
                continue;
            }

            for (int b = 0; b + 1 < edges.Length; b++)
            {
                used.Clear();
                double dataSum = 0.0;
                double sigmaSum = 0.0;
                for (int k = edges[b]; k < edges[b + 1]; k++)
                {
                    int i = (p * channels) + k;
                    if (loads.Flags[i] != ChannelFlags.None)
                    {
                        continue;
                    }

                    used.Add(k);
                    dataSum += loads.SkyTemperatureK[i];
                    sigmaSum += (loads.ReceiverTemperatureK[i] + loads.SkyTemperatureK[i]) / radiometer;
                }

                int n = used.Count;
                if (n == 0)
                {
                    continue;
                }

                double data = dataSum / n;
                double sigma = sigmaSum / n / Math.Sqrt(n);
                if (!double.IsFinite(data) || !double.IsFinite(sigma) || sigma <= 0)
                {
                    continue;
                }

                int[]? list = n == edges[b + 1] - edges[b] ? null : [.. used];
                bins.Add(new FitBin(p, b, edges[b], edges[b + 1], list, data, sigma));
            }
        }

        return bins;
    }

    private static double Minimize(BinnedSkyModel model, List<FitBin> bins) =>
        BoundedBrent.Minimize(pwv => model.ChiSquare(bins, pwv), MinimumPwvMm, MaximumPwvMm, PwvToleranceMm);

    // "Any channel" means any channel averaged into the bin, i.e. its unflagged channels.
    private static bool TouchesCore(FitBin bin, double[] trSignal, double[] trImage)
    {
        if (bin.Channels is null)
        {
            for (int k = bin.Start; k < bin.End; k++)
            {
                if (trSignal[k] < CoreTransmission || trImage[k] < CoreTransmission)
                {
                    return true;
                }
            }

            return false;
        }

        foreach (int k in bin.Channels)
        {
            if (trSignal[k] < CoreTransmission || trImage[k] < CoreTransmission)
            {
                return true;
            }
        }

        return false;
    }

    private static List<FitBin> Clip(BinnedSkyModel model, List<FitBin> bins, double pwv)
    {
        var weighted = new double[bins.Count];
        double sumSquares = 0.0;
        for (int j = 0; j < bins.Count; j++)
        {
            weighted[j] = (bins[j].Data - model.Mean(bins[j], pwv)) / bins[j].Sigma;
            sumSquares += weighted[j] * weighted[j];
        }

        double limit = ClipFactor * Math.Sqrt(sumSquares / bins.Count);
        var kept = new List<FitBin>(bins.Count);
        for (int j = 0; j < bins.Count; j++)
        {
            if (Math.Abs(weighted[j]) <= limit)
            {
                kept.Add(bins[j]);
            }
        }

        return kept;
    }

    // atm_fit_rms_k: the unweighted RMS of the final residuals (§7.5).
    private static double ResidualRms(BinnedSkyModel model, List<FitBin> bins, double pwv)
    {
        double sumSquares = 0.0;
        foreach (var bin in bins)
        {
            double r = bin.Data - model.Mean(bin, pwv);
            sumSquares += r * r;
        }

        return Math.Sqrt(sumSquares / bins.Count);
    }

    // §7.5: PWV_err = √(2/χ″)·√max(1, χ²_red), χ″ by a central second difference, χ²_red = χ²/(n_bins − 1).
    private static double PwvError(BinnedSkyModel model, List<FitBin> bins, double pwv, double chiSquare)
    {
        double h = CurvatureStepMm;
        double curvature = (model.ChiSquare(bins, pwv + h) - (2.0 * chiSquare) + model.ChiSquare(bins, pwv - h)) / (h * h);
        if (!double.IsFinite(curvature) || curvature <= 0)
        {
            return double.NaN;
        }

        double reduced = chiSquare / Math.Max(1, bins.Count - 1);
        return Math.Sqrt(2.0 / curvature) * Math.Sqrt(Math.Max(1.0, reduced));
    }

    private static string? FailureReason(double pwv, double rms, int bins)
    {
        var reasons = new List<string>();
        if (OnBound(pwv))
        {
            reasons.Add(BoundReason(pwv));
        }

        if (!(rms <= MaximumResidualRmsK))
        {
            reasons.Add(string.Create(CultureInfo.InvariantCulture, $"residual RMS {rms:0.###} K exceeds {MaximumResidualRmsK} K"));
        }

        if (bins < MinimumBins)
        {
            reasons.Add(string.Create(CultureInfo.InvariantCulture, $"{bins} bins remain, fewer than {MinimumBins}"));
        }

        return reasons.Count == 0 ? null : string.Join("; ", reasons);
    }

    private static bool OnBound(double pwv) =>
        Math.Abs(pwv - MinimumPwvMm) <= BoundProximityMm || Math.Abs(pwv - MaximumPwvMm) <= BoundProximityMm;

    private static string BoundReason(double pwv) =>
        string.Create(CultureInfo.InvariantCulture, $"PWV {pwv:0.######} mm is on a bound of [{MinimumPwvMm}, {MaximumPwvMm}] mm");
}

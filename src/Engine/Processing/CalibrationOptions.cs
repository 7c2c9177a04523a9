using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Scanflow.Engine.Science;

namespace Scanflow.Engine.Processing;

/// <summary>The settings that change what an L1 product contains. Their canonical JSON (with the fixed thresholds of
/// calibration.md §7, for provenance) and its SHA-256 go into every product (<c>config_json</c>, <c>config_sha256</c>);
/// settings that only change speed do not belong here.</summary>
public sealed record CalibrationOptions
{
    /// <summary>Radiation temperature convention (calibration.md §1.1).</summary>
    public JMode JMode { get; init; } = JMode.Planck;

    /// <summary>T_atm − T_amb of the single-slab atmosphere (calibration.md §2.3).</summary>
    public double AtmosphereTemperatureOffsetK { get; init; } = -10.0;

    /// <summary>One calibration per science scan, or gain interpolated between two (calibration.md §7.10).</summary>
    public GainInterpolation GainInterpolation { get; init; } = GainInterpolation.None;

    /// <summary>The radiometer ratio (QA, docs/formats.md <c>qa.json</c>) above which a pixel is suspect. It changes the
    /// QA product, not the L1 file, so it is not part of <c>config_json</c>.</summary>
    public double SuspectRadiometerRatio { get; init; } = 1.3;

    /// <summary>The canonical JSON recorded as <c>config_json</c>: these settings and the fixed thresholds, keys sorted.
    /// <c>gain_interpolation</c> appears only when linear, so products made before the option existed (and with it off)
    /// keep their configuration hash and are not recalibrated.</summary>
    public string ToJson()
    {
        var settings = Settings();
        if (GainInterpolation != GainInterpolation.None)
        {
            settings["gain_interpolation"] = GainInterpolationNames.Of(GainInterpolation);
        }

        return JsonSerializer.Serialize(settings);
    }

    private SortedDictionary<string, object> Settings() => new(StringComparer.Ordinal)
    {
        ["jmode"] = JModeNames.Of(JMode),
        ["atmosphere_temperature_offset_k"] = AtmosphereTemperatureOffsetK,
        ["atmosphere_model"] = AtmosphereModel.Default.Id,
        ["off_reference"] = "linear in time; OTF OFF blocks averaged at their mean MJD",
        ["airmass_correction_threshold"] = AntennaTemperatureKernel.AirmassTolerance,
        ["flag_min_y_factor"] = HotColdSolution.MinimumYFactor,
        ["flag_max_trx_over_median"] = HotColdSolution.MaximumReceiverTemperatureOverMedian,
        ["flag_max_bad_channel_fraction"] = HotColdSolution.MaximumBadChannelFraction,
        ["flag_core_transmission"] = CalibrationSolution.CoreTransmission,
        ["flag_low_elevation_deg"] = ScienceScanContext.LowElevationDeg,
        ["pwv_fit_bounds_mm"] = new[] { AtmosphereFit.MinimumPwvMm, AtmosphereFit.MaximumPwvMm },
        ["pwv_fit_tolerance_mm"] = AtmosphereFit.PwvToleranceMm,
    };

    /// <summary>SHA-256 (lower-case hex) of <see cref="ToJson"/>: <c>config_sha256</c>, and part of a ledger row's key.</summary>
    public string Sha256() => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ToJson())));
}

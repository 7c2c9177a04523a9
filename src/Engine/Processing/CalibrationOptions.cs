using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Scanflow.Engine.Science;

namespace Scanflow.Engine.Processing;

/// <summary>The settings that change what an L1 product contains. Their canonical JSON and its SHA-256 go into every
/// product (<c>config_json</c>, <c>config_sha256</c>); settings that only change speed do not belong here.</summary>
public sealed record CalibrationOptions
{
    /// <summary>Radiation temperature convention (calibration.md §1.1).</summary>
    public JMode JMode { get; init; } = JMode.Planck;

    /// <summary>T_atm − T_amb of the single-slab atmosphere (calibration.md §2.3).</summary>
    public double AtmosphereTemperatureOffsetK { get; init; } = -10.0;

    public string ToJson() => JsonSerializer.Serialize(new SortedDictionary<string, object>(StringComparer.Ordinal)
    {
        ["jmode"] = JModeNames.Of(JMode),
        ["atmosphere_temperature_offset_k"] = AtmosphereTemperatureOffsetK,
        ["atmosphere_model"] = AtmosphereModel.Default.Id,
        ["off_reference"] = "linear in time; OTF OFF blocks averaged at their mean MJD",
        ["airmass_correction_threshold"] = 0.01,
    });

    public string Sha256() => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ToJson())));
}

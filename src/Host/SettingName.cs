namespace Scanflow.Host;

/// <summary>How one setting is spelled: its key in section <c>Scanflow</c> (scanflow.json, and <c>SCANFLOW__Key</c> in the
/// environment) and its flag, the key in kebab case with the same unit (<c>MaxCalibrationAgeMinutes</c> ↔
/// <c>--max-calibration-age-minutes</c>). Older flags stay as aliases so existing scripts keep working.</summary>
internal sealed record SettingName(string Key, string Flag, params string[] FlagAliases)
{
    /// <summary>The full configuration key, <c>Scanflow:Key</c>.</summary>
    public string Path => $"{RunSettings.Section}:{Key}";
}

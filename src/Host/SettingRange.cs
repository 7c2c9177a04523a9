using System.Globalization;

namespace Scanflow.Host;

/// <summary>The values a numeric setting allows, and how a problem sentence says so.</summary>
/// <param name="Positive">True: any value above zero up to <paramref name="Max"/> (<paramref name="Min"/> is ignored).</param>
internal readonly record struct SettingRange(double Min, double Max, string Unit, bool Positive = false)
{
    public bool Contains(double value) => (Positive ? value > 0 : value >= Min) && value <= Max;

    public string Describe() => Positive
        ? string.Create(CultureInfo.InvariantCulture, $"a positive number of {Unit} up to {Max}")
        : string.Create(CultureInfo.InvariantCulture, $"between {Min} and {Max} {Unit}");
}

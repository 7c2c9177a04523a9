namespace Scanflow.Engine.Science;

/// <summary>The provenance spellings of <see cref="JMode"/>: <c>planck</c>, <c>callen_welton</c>, <c>rj</c> (formats.md L1 attribute <c>jmode</c>).</summary>
internal static class JModeNames
{
    public static string Of(JMode m) => m switch
    {
        JMode.Planck => "planck",
        JMode.CallenWelton => "callen_welton",
        JMode.RayleighJeans => "rj",
        _ => throw new ArgumentOutOfRangeException(nameof(m)),
    };

    public static bool TryParse(string s, out JMode m)
    {
        foreach (var candidate in (ReadOnlySpan<JMode>)[JMode.Planck, JMode.CallenWelton, JMode.RayleighJeans])
        {
            if (string.Equals(s?.Trim(), Of(candidate), StringComparison.OrdinalIgnoreCase))
            {
                m = candidate;
                return true;
            }
        }

        m = default;
        return false;
    }
}

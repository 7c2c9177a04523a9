namespace Scanflow.Engine.Processing;

/// <summary>The spellings of <see cref="GainInterpolation"/> in settings and products: <c>none</c>, <c>linear</c>
/// (formats.md L1 attribute <c>gain_interpolation</c>).</summary>
internal static class GainInterpolationNames
{
    /// <summary>The spelling of <paramref name="mode"/>.</summary>
    public static string Of(GainInterpolation mode) => mode switch
    {
        GainInterpolation.None => "none",
        GainInterpolation.Linear => "linear",
        _ => throw new ArgumentOutOfRangeException(nameof(mode)),
    };

    /// <summary>Parses <c>none</c> or <c>linear</c>, in any case.</summary>
    public static bool TryParse(string? text, out GainInterpolation mode)
    {
        foreach (var candidate in (ReadOnlySpan<GainInterpolation>)[GainInterpolation.None, GainInterpolation.Linear])
        {
            if (string.Equals(text?.Trim(), Of(candidate), StringComparison.OrdinalIgnoreCase))
            {
                mode = candidate;
                return true;
            }
        }

        mode = default;
        return false;
    }
}

using System.Globalization;
using Scanflow.Engine.Formats;
using Scanflow.Engine.Model;

namespace Scanflow.Engine.Planning;

/// <summary>Which science scans to process (<c>--select</c>); every criterion left null matches everything.</summary>
public sealed record ScanSelection
{
    private const string AllowedForms =
        "band=LFA|HFA, source=NAME, scan=ID, scan=FIRST-LAST, mjd=FROM-TO (ranges inclusive; several terms may be joined by commas)";

    /// <summary>Only scans of this band.</summary>
    public Band? Band { get; init; }

    /// <summary>Matched case-insensitively and exactly against the science scan's <c>source</c>.</summary>
    public string? Source { get; init; }

    /// <summary>Lowest scan id selected (inclusive).</summary>
    public long? FirstScanId { get; init; }

    /// <summary>Highest scan id selected (inclusive).</summary>
    public long? LastScanId { get; init; }

    /// <summary>Earliest <c>start_mjd</c> selected (inclusive).</summary>
    public double? FromMjd { get; init; }

    /// <summary>Latest <c>start_mjd</c> selected (inclusive).</summary>
    public double? ToMjd { get; init; }

    /// <summary>Whether the science scan <paramref name="science"/> meets every criterion that is set.</summary>
    public bool Matches(RawScanHeader science) =>
        (Band is not { } band || science.Band == band)
        && (Source is not { } source || string.Equals(science.Source, source, StringComparison.OrdinalIgnoreCase))
        && (FirstScanId is not { } first || science.ScanId >= first)
        && (LastScanId is not { } last || science.ScanId <= last)
        && (FromMjd is not { } from || science.StartMjd >= from)
        && (ToMjd is not { } to || science.StartMjd <= to);

    /// <summary>Parses terms such as <c>band=LFA</c>, <c>source=OrionKL</c>, <c>scan=100-200</c>, <c>scan=150</c> and
    /// <c>mjd=61367.0-61367.5</c>; a bad or repeated term is an <see cref="ArgumentException"/> naming it and the allowed forms.</summary>
    public static ScanSelection Parse(IEnumerable<string> terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        var selection = new ScanSelection();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var term in terms.SelectMany(t => t.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)))
        {
            var equals = term.IndexOf('=', StringComparison.Ordinal);
            var key = equals < 0 ? term : term[..equals].Trim().ToLowerInvariant();
            var value = equals < 0 ? string.Empty : term[(equals + 1)..].Trim();
            if (equals >= 0 && !seen.Add(key))
            {
                throw new ArgumentException($"selection term '{term}' repeats '{key}'; give each of band, source, scan and mjd at most once", nameof(terms));
            }

            selection = key switch
            {
                "band" when ModelNames.TryParseBand(value, out var band) => selection with { Band = band },
                "source" when value.Length > 0 => selection with { Source = value },
                "scan" when TryParseScanRange(value, out var first, out var last) => selection with { FirstScanId = first, LastScanId = last },
                "mjd" when TryParseMjdRange(value, out var from, out var to) => selection with { FromMjd = from, ToMjd = to },
                _ => throw new ArgumentException($"selection term '{term}' is not understood; expected {AllowedForms}", nameof(terms)),
            };
        }

        return selection;
    }

    /// <summary>The selection in the form <see cref="Parse"/> reads, e.g. <c>band=LFA, scan=100-200</c>, or <c>all scans</c>.</summary>
    public string Describe()
    {
        var parts = new List<string>();
        if (Band is { } band)
        {
            parts.Add("band=" + ModelNames.Of(band));
        }

        if (Source is { } source)
        {
            parts.Add("source=" + source);
        }

        parts.AddRange(Range("scan", FirstScanId, LastScanId, id => id.ToString(CultureInfo.InvariantCulture), single: FirstScanId == LastScanId));
        parts.AddRange(Range("mjd", FromMjd, ToMjd, mjd => mjd.ToString("0.0##########", CultureInfo.InvariantCulture), single: false));
        return parts.Count == 0 ? "all scans" : string.Join(", ", parts);
    }

    private static IEnumerable<string> Range<T>(string key, T? low, T? high, Func<T, string> format, bool single)
        where T : struct
    {
        return (low, high) switch
        {
            ({ } l, { } h) => [single ? $"{key}={format(l)}" : $"{key}={format(l)}-{format(h)}"],
            ({ } l, null) => [$"{key}>={format(l)}"],
            (null, { } h) => [$"{key}<={format(h)}"],
            _ => [],
        };
    }

    private static bool TryParseScanRange(string text, out long first, out long last)
    {
        var dash = text.IndexOf('-', StringComparison.Ordinal);
        var ok = dash < 0
            ? TryParseScanId(text, out first) & TryParseScanId(text, out last)
            : TryParseScanId(text[..dash], out first) & TryParseScanId(text[(dash + 1)..], out last);
        return ok && first <= last;
    }

    private static bool TryParseScanId(string text, out long id) =>
        long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out id);

    private static bool TryParseMjdRange(string text, out double from, out double to)
    {
        // MJDs are positive, so the first '-' after the first character separates the two ends.
        var dash = text.Length > 1 ? text.IndexOf('-', 1) : -1;
        from = to = double.NaN;
        return dash > 0
            && double.TryParse(text[..dash].Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out from)
            && double.TryParse(text[(dash + 1)..].Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out to)
            && double.IsFinite(from) && double.IsFinite(to) && from <= to;
    }
}

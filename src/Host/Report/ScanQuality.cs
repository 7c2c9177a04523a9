using System.Text.Json;

namespace Scanflow.Host.Report;

/// <summary>What the report shows of a scan's <c>qa.json</c> (docs/formats.md §2.7); a value the file does not hold is null.</summary>
internal sealed record ScanQuality(
    double? PwvMm,
    double? PwvErrMm,
    string? AtmFitStatus,
    double? AirmassMean,
    double? WorstRadiometerRatio,
    double? SuspectRadiometerRatio,
    double? FlaggedFraction,
    IReadOnlyList<PixelQuality> Pixels)
{
    /// <summary>The median over pixels of their median T_sys, or null when no pixel has one.</summary>
    public double? MedianTsysK
    {
        get
        {
            var values = Pixels.Select(p => p.TsysMedianK).OfType<double>().Order().ToArray();
            return values.Length == 0 ? null
                : values.Length % 2 == 1 ? values[values.Length / 2]
                : (values[(values.Length / 2) - 1] + values[values.Length / 2]) / 2;
        }
    }

    /// <summary>Reads <paramref name="path"/>; a missing or unreadable file is null (the page says so, the report goes on).</summary>
    public static ScanQuality? Read(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            using var json = JsonDocument.Parse(stream);
            var root = json.RootElement;
            var pixels = root.TryGetProperty("pixels", out var array) && array.ValueKind == JsonValueKind.Array
                ? array.EnumerateArray().Select(p => new PixelQuality(
                    p.TryGetProperty("pixel_id", out var id) && id.ValueKind == JsonValueKind.Number ? id.GetInt64() : 0,
                    Number(p, "tsys_median_k"),
                    Number(p, "trx_median_k"),
                    Number(p, "flagged_channel_fraction"),
                    Number(p, "radiometer_ratio"),
                    p.TryGetProperty("suspect", out var suspect) && suspect.ValueKind == JsonValueKind.True)).ToList()
                : [];
            return new ScanQuality(
                Number(root, "pwv_mm"),
                Number(root, "pwv_err_mm"),
                root.TryGetProperty("atm_fit_status", out var status) && status.ValueKind == JsonValueKind.String ? status.GetString() : null,
                Number(root, "airmass_mean"),
                Number(root, "worst_radiometer_ratio"),
                Number(root, "suspect_radiometer_ratio"),
                root.TryGetProperty("channel_fraction_flagged", out var flagged) ? Number(flagged, "any") : null,
                pixels);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    private static double? Number(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;
}

using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;

namespace Scanflow.Engine.Ledger;

/// <summary>How values are stored as text: times as fixed-width ISO 8601 UTC (so they sort), lists as JSON, durations as JSON seconds.</summary>
internal static class LedgerText
{
    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    public static DateTimeOffset ParseTime(string text) =>
        new(DateTime.ParseExact(text, TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal), TimeSpan.Zero);

    // The stored spellings, defined here once: statements take them as parameters, parsing inverts them.
    private static readonly FrozenDictionary<string, ScanStatus> StatusByText = Enum.GetValues<ScanStatus>().ToFrozenDictionary(Status, StringComparer.Ordinal);
    private static readonly FrozenDictionary<string, FailureKind> KindByText = Enum.GetValues<FailureKind>().ToFrozenDictionary(Kind, StringComparer.Ordinal);

    public static string Status(ScanStatus status) => status switch
    {
        ScanStatus.Pending => "PENDING",
        ScanStatus.Running => "RUNNING",
        ScanStatus.Succeeded => "SUCCEEDED",
        ScanStatus.Failed => "FAILED",
        ScanStatus.Cancelled => "CANCELLED",
        ScanStatus.Skipped => "SKIPPED",
        ScanStatus.Waiting => "WAITING",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static ScanStatus ParseStatus(string text) =>
        StatusByText.TryGetValue(text, out var status) ? status : throw new InvalidOperationException($"unknown scan status '{text}' in the ledger");

    public static string Kind(FailureKind kind) => kind switch
    {
        FailureKind.Transient => "TRANSIENT",
        FailureKind.Permanent => "PERMANENT",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static FailureKind? ParseKind(string? text) =>
        text is null ? null
        : KindByText.TryGetValue(text, out var kind) ? kind
        : throw new InvalidOperationException($"unknown failure kind '{text}' in the ledger");

    public static string Ids(IReadOnlyList<long> ids) => JsonSerializer.Serialize(ids);

    public static IReadOnlyList<long> ParseIds(string json) => JsonSerializer.Deserialize<long[]>(json) ?? [];

    public static string Checksums(IReadOnlyList<string> checksums) => JsonSerializer.Serialize(checksums);

    public static IReadOnlyList<string> ParseChecksums(string json) => JsonSerializer.Deserialize<string[]>(json) ?? [];

    public static string Durations(IReadOnlyDictionary<string, TimeSpan> durations) =>
        JsonSerializer.Serialize(durations.ToDictionary(pair => pair.Key, pair => pair.Value.TotalSeconds, StringComparer.Ordinal));

    public static IReadOnlyDictionary<string, TimeSpan> ParseDurations(string json) =>
        (JsonSerializer.Deserialize<Dictionary<string, double>>(json) ?? [])
            .ToDictionary(pair => pair.Key, pair => TimeSpan.FromSeconds(pair.Value), StringComparer.Ordinal);
}

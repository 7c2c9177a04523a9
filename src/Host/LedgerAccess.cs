using System.CommandLine;
using System.Data.Common;
using System.Globalization;
using Scanflow.Engine.Ledger;
using Spectre.Console;

namespace Scanflow.Host;

/// <summary>
/// What the ledger query commands share: finding the ledger (<see cref="LedgerFlags"/>), opening it with one sentence
/// on stderr and exit 1 when it is missing or unreadable, and the text forms of statuses, times and sizes.
/// </summary>
internal static class LedgerAccess
{
    /// <summary>Runs <paramref name="query"/> on the ledger <paramref name="flags"/> find, with its full path.</summary>
    public static int Read(string command, LedgerFlags flags, ParseResult result, Func<LedgerReader, string, int> query, string? directory = null)
    {
        string path;
        try
        {
            path = flags.Path(result, directory);
        }
        catch (ArgumentException e)
        {
            return Fail(command, e.Message);
        }

        return Read(command, path, reader => query(reader, path));
    }

    /// <summary>Runs <paramref name="change"/> on the ledger <paramref name="flags"/> find.</summary>
    public static int Write(string command, LedgerFlags flags, ParseResult result, Func<LedgerWriter, int> change)
    {
        try
        {
            return Write(command, flags.Path(result), change);
        }
        catch (ArgumentException e)
        {
            return Fail(command, e.Message);
        }
    }

    /// <summary>Runs <paramref name="query"/> on the ledger at <paramref name="path"/>; a missing or unreadable ledger is exit 1 with one sentence.</summary>
    public static int Read(string command, string path, Func<LedgerReader, int> query)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            return Fail(command, Missing(full));
        }

        try
        {
            using var reader = LedgerReader.Open(full);
            return query(reader);
        }
        catch (Exception e) when (e is FileNotFoundException or InvalidOperationException or DbException or IOException or UnauthorizedAccessException)
        {
            return Fail(command, LedgerFile.IsDamaged(e) ? LedgerFile.Problem(full, e) : $"cannot read the ledger {full}: {e.Message}");
        }
    }

    /// <summary>Runs <paramref name="change"/> on the ledger at <paramref name="path"/>, which must already exist (opening a writer would create it).</summary>
    public static int Write(string command, string path, Func<LedgerWriter, int> change)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            return Fail(command, Missing(full));
        }

        try
        {
            using var writer = LedgerWriter.Open(full, new LedgerOptions(), TimeProvider.System);
            return change(writer);
        }
        catch (Exception e) when (e is InvalidOperationException or DbException or IOException or UnauthorizedAccessException)
        {
            return Fail(command, LedgerFile.IsDamaged(e) ? LedgerFile.Problem(full, e) : $"cannot update the ledger {full}: {e.Message}");
        }
    }

    /// <summary>The console for tables: on a terminal its width; piped or redirected, wide enough that rows are not
    /// wrapped (a table is only as wide as its content), so each row stays on one line for grep and scripts.</summary>
    public static IAnsiConsole TableConsole()
    {
        var console = AnsiConsole.Console;
        if (Console.IsOutputRedirected)
        {
            console.Profile.Width = Math.Max(console.Profile.Width, 240);
        }

        return console;
    }

    /// <summary>One line of at most <paramref name="length"/> characters: line breaks become " / ", the rest is cut with "…".</summary>
    public static string Abbreviate(string text, int length)
    {
        var line = text.ReplaceLineEndings(" / ");
        return line.Length <= length ? line : string.Concat(line.AsSpan(0, length - 1), "…");
    }

    public static int Fail(string command, string sentence)
    {
        Console.Error.WriteLine($"scanflow {command}: {sentence}");
        return 1;
    }

    public static string Missing(string fullPath) =>
        $"no ledger at {fullPath} (a run with --output DIR keeps it at DIR/{LedgerWriter.DefaultFileName}; pass --ledger PATH, --output DIR or --config FILE to read another)";

    /// <summary>The stored spelling: PENDING, RUNNING, SUCCEEDED, FAILED, CANCELLED, SKIPPED.</summary>
    public static string Name(ScanStatus status) => LedgerText.Status(status);

    public static string? Name(FailureKind? kind) => kind is { } k ? LedgerText.Kind(k) : null;

    public static string[] StatusNames => [.. Enum.GetValues<ScanStatus>().Select(Name)];

    /// <summary>A status by its name in any case (<c>failed</c>, <c>FAILED</c>); numbers are not names.</summary>
    public static bool TryParseStatus(string text, out ScanStatus status)
    {
        foreach (var candidate in Enum.GetValues<ScanStatus>())
        {
            if (string.Equals(Name(candidate), text, StringComparison.OrdinalIgnoreCase))
            {
                status = candidate;
                return true;
            }
        }

        status = default;
        return false;
    }

    /// <summary>ISO 8601 UTC to the second (<c>2026-11-23T08:47:14Z</c>), for tables and show.</summary>
    public static string Time(DateTimeOffset? time) => time is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "–";

    /// <summary>ISO 8601 UTC with fractional seconds, for JSON and CSV.</summary>
    public static string? ExactTime(DateTimeOffset? time) => time?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    public static string Megabytes(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e6:0.0} MB");

    public static string Seconds(TimeSpan duration) => string.Create(CultureInfo.InvariantCulture, $"{duration.TotalSeconds:0.000} s");

    public static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Mjd(double mjd) => mjd.ToString("0.000000", CultureInfo.InvariantCulture);
}

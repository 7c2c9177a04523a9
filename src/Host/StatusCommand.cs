using System.CommandLine;
using System.Globalization;
using Scanflow.Engine.Ledger;
using Spectre.Console;

namespace Scanflow.Host;

/// <summary><c>scanflow status [--ledger PATH | --output DIR | --config FILE]</c>: counts by status and band, last success, oldest pending, last hour's throughput.</summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var ledger = new LedgerFlags();
        var command = new Command("status", "Summarise the ledger: scans by status and band, last success, oldest pending, throughput over the last hour");
        ledger.AddTo(command);
        command.SetAction(result => LedgerAccess.Read("status", ledger, result, (reader, _) =>
        {
            Print(reader.Status(DateTimeOffset.UtcNow), LedgerAccess.TableConsole());
            return 0;
        }));
        return command;
    }

    public static void Print(LedgerStatus status, IAnsiConsole console)
    {
        var bands = status.Counts.Select(c => c.Band).Distinct().Order(StringComparer.Ordinal).ToList();
        var table = new Table().Title("ledger").AddColumn("status");
        foreach (var band in bands)
        {
            table.AddColumn(new TableColumn(Markup.Escape(band)).RightAligned());
        }

        table.AddColumn(new TableColumn("total").RightAligned());
        foreach (var scanStatus in Enum.GetValues<ScanStatus>())
        {
            var counts = bands.Select(b => status.Counts.Where(c => c.Status == scanStatus && c.Band == b).Sum(c => c.Count)).ToList();
            table.AddRow([LedgerAccess.Name(scanStatus), .. counts.Select(Count), Count(counts.Sum())]);
        }

        table.AddRow(["total", .. bands.Select(b => Count(status.Counts.Where(c => c.Band == b).Sum(c => c.Count))), Count(status.Counts.Sum(c => c.Count))]);
        console.Write(table);

        console.WriteLine($"last success: {(status.LastSuccessUtc is { } last ? LedgerAccess.Time(last) : "none")}");
        console.WriteLine(status.OldestPendingScanId is { } pending
            ? $"oldest pending: scan {LedgerAccess.Invariant(pending)}, pending since {LedgerAccess.Time(status.OldestPendingSinceUtc)}"
            : "oldest pending: none");
        console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"last hour: {status.SucceededLastHour} scans calibrated from {LedgerAccess.Megabytes(status.BytesLastHour)} of raw input"));
    }

    private static string Count(int count) => count.ToString(CultureInfo.InvariantCulture);
}

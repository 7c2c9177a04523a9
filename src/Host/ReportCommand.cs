using System.CommandLine;
using System.Globalization;
using Scanflow.Host.Report;

namespace Scanflow.Host;

/// <summary><c>scanflow report --output DIR [--ledger PATH] [--since TIME]</c>: writes a static HTML report of the ledger
/// (index, one page per scan with its plots, QA metrics and provenance) into DIR. Here <c>--output</c> is the report's
/// directory; the ledger is found as by the other ledger commands from <c>--ledger</c> or the settings.</summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        var ledger = new LedgerFlags(outputFlag: false);
        var output = new Option<string>(SettingNames.Output.Flag)
        {
            Description = "The directory to write the report into (index.html, a page per scan, images/); created if missing",
            HelpName = "DIR",
            Required = true,
        };
        var since = new Option<string?>("--since")
        {
            Description = "Only ledger rows updated at or after this time (ISO 8601, UTC unless it has an offset), e.g. 2026-12-03T06:00:00Z",
            HelpName = "TIME",
        };
        var command = new Command("report", "Write a static HTML report of the ledger: a sortable table of scans and a page per scan with its plots, QA metrics and provenance") { output, since };
        ledger.AddTo(command);
        command.SetAction(result =>
        {
            DateTimeOffset? from = null;
            if (result.GetValue(since) is { } text)
            {
                if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
                {
                    return LedgerAccess.Fail("report", $"--since must be an ISO 8601 time such as 2026-12-03T06:00:00Z (got '{text}')");
                }

                from = parsed;
            }

            var directory = Path.GetFullPath(result.GetValue(output)!);
            return LedgerAccess.Read("report", ledger, result, (reader, path) =>
            {
                int scans;
                try
                {
                    scans = new ReportSite(directory).Write(reader, path, from, TimeProvider.System.GetUtcNow());
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    return LedgerAccess.Fail("report", $"cannot write the report into {directory}: {e.Message}");
                }

                Console.Out.WriteLine($"report of {LedgerAccess.Invariant(scans)} scans from {path}: {Path.Combine(directory, ReportSite.IndexFile)}");
                return 0;
            });
        });
        return command;
    }
}

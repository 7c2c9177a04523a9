using Scanflow.Engine.Ledger;
using Scanflow.Engine.Planning;

namespace Scanflow.Host;

/// <summary>
/// <c>scanflow calibrate --limit N</c>: of the planned science scans, in time order (start MJD), the first N that are not
/// yet done, so a campaign reprocesses a night at a time. Done means the ledger holds a current SUCCEEDED product of
/// that scan with this run's configuration, made from an input of the same path, size and modification time and with
/// the calibration scans this plan pairs it with (a later calibration that arrived since makes it not done); done
/// scans are not run again (no SKIPPED attempt, no hashing), and the rest wait for a later run.
/// </summary>
internal sealed record ScanLimit(int Limit, IReadOnlyList<PlannedScan> Taken, IReadOnlyList<(PlannedScan Scan, string Product)> Done, IReadOnlyList<PlannedScan> Later)
{
    /// <summary>Reads the ledger at <paramref name="ledgerPath"/> (none yet: nothing is done) read-only.</summary>
    public static ScanLimit Cut(IReadOnlyList<PlannedScan> scans, int limit, string ledgerPath, string configSha256)
    {
        using var ledger = File.Exists(ledgerPath) ? LedgerReader.Open(ledgerPath) : null;
        List<PlannedScan> taken = [];
        List<(PlannedScan, string)> done = [];
        List<PlannedScan> later = [];
        foreach (var scan in scans.OrderBy(s => s.Science.StartMjd).ThenBy(s => s.Science.ScanId))
        {
            var input = new FileInfo(scan.Science.FilePath);
            var product = ledger is not null && input.Exists
                ? ledger.CurrentProduct(
                    scan.Science.ScanId, scan.Science.Band, configSha256, scan.Science.FilePath, input.Length, input.LastWriteTimeUtc,
                    [.. scan.Calibrations.Select(c => c.ScanId)])
                : null;
            if (product is not null)
            {
                done.Add((scan, product));
            }
            else if (taken.Count < limit)
            {
                taken.Add(scan);
            }
            else
            {
                later.Add(scan);
            }
        }

        return new ScanLimit(limit, taken, done, later);
    }

    /// <summary>Why a later scan is not in this run.</summary>
    public string LaterReason => $"left for a later run: --limit {Limit} takes the first {Limit} not yet calibrated, in start order";

    public string Describe() => $"--limit {Limit}: {Taken.Count} science scans in this run, {Done.Count} already calibrated, {Later.Count} left for a later run";
}

using System.CommandLine;

namespace Scanflow.Host;

/// <summary><c>scanflow retry [--failed] [--scan ID...]</c>: puts FAILED rows back to PENDING so the next calibrate run takes them;
/// <c>--scan</c> also a WAITING row, which a running service then takes through with the calibration it has.</summary>
internal static class RetryCommand
{
    public static Command Create()
    {
        var ledger = new LedgerFlags();
        var failed = new Option<bool>("--failed") { Description = "Requeue every FAILED scan" };
        var scans = new Option<long[]>("--scan") { Description = "Requeue this scan (all its FAILED rows, and a WAITING one: the service takes it through without the later calibration); repeatable" };
        var command = new Command("retry", "Requeue failed scans (FAILED → PENDING, retry budget reset); the next scanflow calibrate over the same store calibrates them") { failed, scans };
        ledger.AddTo(command);
        command.SetAction(result =>
        {
            var all = result.GetValue(failed);
            var ids = result.GetValue(scans) ?? [];
            if (!all && ids.Length == 0)
            {
                return LedgerAccess.Fail("retry", "say which scans to requeue: --failed (every FAILED scan) or --scan ID (repeatable)");
            }

            return LedgerAccess.Write("retry", ledger, result, writer =>
            {
                var requeued = writer.Requeue(failedOnly: true, all ? [] : ids);
                if (requeued == 0)
                {
                    return LedgerAccess.Fail("retry", all
                        ? "nothing to requeue: no scan is FAILED"
                        : $"nothing to requeue: no FAILED or WAITING row for scan {string.Join(", ", ids.Select(LedgerAccess.Invariant))}");
                }

                Console.WriteLine($"requeued {LedgerAccess.Invariant(requeued)} scan(s): now PENDING; a running scanflow run takes them at its next rescan, or run scanflow calibrate over the same store with the same --output");
                return 0;
            });
        });
        return command;
    }
}

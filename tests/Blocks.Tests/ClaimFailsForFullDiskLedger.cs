using Scanflow.Engine.Ledger;
using Scanflow.Engine.Planning;

namespace Scanflow.Blocks.Tests;

/// <summary>A fault for tests: the real ledger, except that claims after the first <paramref name="claims"/> fail as a
/// full disk does (ENOSPC), the way SQLite's write of a claim fails when the products have used up the disk.</summary>
internal sealed class ClaimFailsForFullDiskLedger(IScanLedger ledger, int claims) : IScanLedger
{
    private const int NoSpaceErrno = 28;
    private int _claims;

    public IReadOnlyList<RecoveredScan> RecoverDeadRuns() => ledger.RecoverDeadRuns();

    public string? KnownInputSha256(FileInfo input) => ledger.KnownInputSha256(input);

    public ClaimVerdict Claim(PlannedScan scan, FileInfo input, string inputSha256, IReadOnlyList<string> calibrationSha256) =>
        Interlocked.Increment(ref _claims) > claims
            ? throw new IOException("No space left on device", NoSpaceErrno)
            : ledger.Claim(scan, input, inputSha256, calibrationSha256);

    public RecordVerdict Record(ScanOutcome outcome) => ledger.Record(outcome);

    public void Release(PlannedScan scan) => ledger.Release(scan);

    public IReadOnlyList<PendingPlots> TakeOverPendingPlots() => ledger.TakeOverPendingPlots();

    public bool PlotsDrawn(PendingPlots pending, IReadOnlyList<ProductFile> plots) => ledger.PlotsDrawn(pending, plots);

    public void Heartbeat() => ledger.Heartbeat();
}

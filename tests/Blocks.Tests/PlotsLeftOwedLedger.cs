using Scanflow.Engine.Ledger;
using Scanflow.Engine.Planning;

namespace Scanflow.Blocks.Tests;

/// <summary>A fault for tests: <paramref name="ledger"/>, except that the runner never learns of the plots a recorded
/// product owes, so they are left undrawn, as by a run killed between recording a product and drawing its plots.</summary>
internal sealed class PlotsLeftOwedLedger(IScanLedger ledger) : IScanLedger
{
    public IReadOnlyList<RecoveredScan> RecoverDeadRuns() => ledger.RecoverDeadRuns();

    public string? KnownInputSha256(FileInfo input) => ledger.KnownInputSha256(input);

    public ClaimVerdict Claim(PlannedScan scan, FileInfo input, string inputSha256, IReadOnlyList<string> calibrationSha256) =>
        ledger.Claim(scan, input, inputSha256, calibrationSha256);

    public RecordVerdict Record(ScanOutcome outcome) => ledger.Record(outcome) with { Plots = null };

    public void Release(PlannedScan scan) => ledger.Release(scan);

    public IReadOnlyList<PendingPlots> TakeOverPendingPlots() => [];

    public bool PlotsDrawn(PendingPlots pending, IReadOnlyList<ProductFile> plots) => ledger.PlotsDrawn(pending, plots);

    public void Heartbeat() => ledger.Heartbeat();
}

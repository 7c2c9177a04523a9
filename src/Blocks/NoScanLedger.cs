using Scanflow.Engine.Ledger;
using Scanflow.Engine.Planning;

namespace Scanflow.Blocks;

/// <summary>No ledger: every scan is calibrated, nothing is recorded, nothing is retried (tests, benchmarks).</summary>
public sealed class NoScanLedger : IScanLedger
{
    public static NoScanLedger Instance { get; } = new();

    private NoScanLedger()
    {
    }

    public IReadOnlyList<RecoveredScan> RecoverDeadRuns() => [];

    public string? KnownInputSha256(FileInfo input) => null;

    public ClaimVerdict Claim(PlannedScan scan, FileInfo input, string inputSha256, string calibrationSha256) => ClaimVerdict.Proceed;

    public RecordVerdict Record(ScanOutcome outcome) => new(outcome, MayRetry: false);

    public void Release(PlannedScan scan)
    {
    }

    public void Heartbeat()
    {
    }
}

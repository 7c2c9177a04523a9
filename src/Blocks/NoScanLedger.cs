using Scanflow.Engine.Ledger;
using Scanflow.Engine.Planning;

namespace Scanflow.Blocks;

/// <summary>No ledger: every scan is calibrated, nothing is recorded, nothing is retried (tests, benchmarks).</summary>
public sealed class NoScanLedger : IScanLedger
{
    /// <summary>The one instance: it holds no state.</summary>
    public static NoScanLedger Instance { get; } = new();

    private NoScanLedger()
    {
    }

    /// <summary>Nothing to recover: no run was recorded.</summary>
    public IReadOnlyList<RecoveredScan> RecoverDeadRuns() => [];

    /// <summary>Always null: every input is hashed.</summary>
    public string? KnownInputSha256(FileInfo input) => null;

    /// <summary>Always <see cref="ClaimVerdict.Proceed"/>: every scan is calibrated.</summary>
    public ClaimVerdict Claim(PlannedScan scan, FileInfo input, string inputSha256, IReadOnlyList<string> calibrationSha256) => ClaimVerdict.Proceed;

    /// <summary>Records nothing and allows no retry.</summary>
    public RecordVerdict Record(ScanOutcome outcome) => new(outcome, MayRetry: false);

    /// <summary>Nothing to release.</summary>
    public void Release(PlannedScan scan)
    {
    }

    /// <summary>Nothing to tell.</summary>
    public void Heartbeat()
    {
    }
}

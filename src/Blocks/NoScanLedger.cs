using Scanflow.Engine.Ledger;
using Scanflow.Engine.Model;
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

    /// <summary>Records nothing and allows no retry; the plots of a product are drawn all the same.</summary>
    public RecordVerdict Record(ScanOutcome outcome) => new(
        outcome,
        MayRetry: false,
        outcome.PlotDataPath is { } data ? new PendingPlots(0, 0, outcome.Scan.Science.ScanId, ModelNames.Of(outcome.Scan.Science.Band), data) : null);

    /// <summary>Nothing to release.</summary>
    public void Release(PlannedScan scan)
    {
    }

    /// <summary>No run owes plots.</summary>
    public IReadOnlyList<PendingPlots> TakeOverPendingPlots() => [];

    /// <summary>Records nothing; the plots are the caller's.</summary>
    public bool PlotsDrawn(PendingPlots pending, IReadOnlyList<ProductFile> plots) => true;

    /// <summary>Nothing to tell.</summary>
    public void Heartbeat()
    {
    }
}

using Scanflow.Engine.Ledger;
using Scanflow.Engine.Planning;

namespace Scanflow.Blocks;

/// <summary>What the runner asks of a ledger: whether a scan may be calibrated, and what became of it. The SQLite
/// ledger (<see cref="SqliteScanLedger"/>) gives exactly-once and resumable runs; <see cref="NoScanLedger"/> calibrates
/// everything it is given and records nothing (tests, benchmarks).</summary>
public interface IScanLedger
{
    /// <summary>Requeues the scans that dead runs left running and removes their temporary files.</summary>
    IReadOnlyList<RecoveredScan> RecoverDeadRuns();

    /// <summary>The checksum recorded for this file at its size and modification time, or null.</summary>
    string? KnownInputSha256(FileInfo input);

    /// <summary>Decides whether this run calibrates <paramref name="scan"/>; when it does, the scan is held until its
    /// outcome is recorded (or released).</summary>
    ClaimVerdict Claim(PlannedScan scan, FileInfo input, string inputSha256, IReadOnlyList<string> calibrationSha256);

    /// <summary>Records the outcome of a claimed scan; the answer says whether a retry is allowed and carries the
    /// outcome as reported (annotated when the ledger could not record it).</summary>
    RecordVerdict Record(ScanOutcome outcome);

    /// <summary>A claimed scan stopped before it started: its claim ends as cancelled.</summary>
    void Release(PlannedScan scan);

    /// <summary>The plots that dead runs owe become this run's to draw.</summary>
    IReadOnlyList<PendingPlots> TakeOverPendingPlots();

    /// <summary>Records the drawn <paramref name="plots"/> of <paramref name="pending"/> as its products; false, recording
    /// nothing, when this run no longer owes them (another run took them over, a later attempt superseded the product).</summary>
    bool PlotsDrawn(PendingPlots pending, IReadOnlyList<ProductFile> plots);

    /// <summary>Tells other runs that this one is alive.</summary>
    void Heartbeat();
}

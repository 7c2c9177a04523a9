using System.Collections.Concurrent;
using System.Data.Common;
using Scanflow.Engine.Formats;
using Scanflow.Engine.Ledger;
using Scanflow.Engine.Planning;
using Scanflow.Engine.Processing;
using Scanflow.Engine.Quality;

namespace Scanflow.Blocks;

/// <summary>
/// The runner's rules on the SQLite ledger: a scan is claimed (RUNNING) before it is calibrated, skipped when the
/// ledger holds a product of the same inputs and configuration, recorded SUCCEEDED only after its product is in place,
/// and its superseded product (changed input) kept under a versioned name. A product found in place but not recorded
/// (a run died between the rename and the record) is adopted when its provenance is this claim's.
/// </summary>
public sealed class SqliteScanLedger(LedgerWriter ledger, string outputDirectory, CalibrationOptions calibration) : IScanLedger, ISlurmLedger
{
    private readonly ConcurrentDictionary<PlannedScan, ClaimResult> _claims = new();
    // Scans whose outcome a full disk kept out of the ledger: the caller records them again once nothing else writes.
    private readonly ConcurrentDictionary<PlannedScan, byte> _deferred = new();
    private readonly string _configSha256 = calibration.Sha256();

    /// <summary>This run hands scans to SLURM: a scan a dead run left running on SLURM is re-attached to (its result
    /// collected), not calibrated again. Leave false for a run that calibrates in its own process.</summary>
    public bool ReattachSlurm { get; init; }

    /// <summary>Requeues the scans that dead runs left RUNNING and deletes their <c>.tmp</c> products.</summary>
    public IReadOnlyList<RecoveredScan> RecoverDeadRuns()
    {
        var recovered = ledger.RecoverDeadRuns();
        foreach (var scan in recovered)
        {
            L1ProductFiles.RemoveTemporary(scan.L1Path);
        }

        return recovered;
    }

    /// <summary>The checksum the ledger recorded for this file at its size and modification time, or null.</summary>
    public string? KnownInputSha256(FileInfo input) => ledger.KnownInputSha256(input.FullName, input.Length, input.LastWriteTimeUtc);

    /// <summary>Claims the scan (RUNNING) unless the ledger holds its product, another run holds it, or it failed permanently
    /// with the same input; a superseded product is set aside, an unrecorded product of this claim is adopted.</summary>
    public ClaimVerdict Claim(PlannedScan scan, FileInfo input, string inputSha256, IReadOnlyList<string> calibrationSha256)
    {
        var science = scan.Science;
        var l1Path = L1FileNaming.PathFor(outputDirectory, science);
        var claim = ledger.Claim(new ScanClaim(
            LedgerScan.For(science, l1Path, _configSha256), inputSha256, input.Length, [.. scan.Calibrations.Select(c => c.ScanId)], calibrationSha256, input.LastWriteTimeUtc)
        {
            ReattachSlurm = ReattachSlurm,
        });
        switch (claim.Outcome)
        {
            case ClaimOutcome.Claimed when claim.Reattach is { } slurm:
                // Its SLURM task may still be writing the product: the task's result says what became of it.
                _claims[scan] = claim;
                return ClaimVerdict.Proceed with { Reattach = slurm };
            case ClaimOutcome.Claimed:
                if (claim.SupersededL1Path is { } older)
                {
                    SetAside(older);
                }

                if (File.Exists(l1Path) && Adopt(claim, l1Path, inputSha256, calibrationSha256, out var plots))
                {
                    return ClaimVerdict.Decided(ScanOutcomeStatus.Skipped, $"already calibrated (product of an interrupted run recorded): {l1Path}") with { Plots = plots };
                }

                _claims[scan] = claim;
                return ClaimVerdict.Proceed;
            case ClaimOutcome.AlreadySucceeded when !File.Exists(claim.ExistingL1Path):
                return ClaimVerdict.Decided(
                    ScanOutcomeStatus.Failed,
                    $"the ledger records a product at {claim.ExistingL1Path}, but the file is gone; restore it, or calibrate into a new output directory with its own ledger");
            case ClaimOutcome.AlreadySucceeded:
                return ClaimVerdict.Decided(ScanOutcomeStatus.Skipped, $"already calibrated: {claim.ExistingL1Path}");
            case ClaimOutcome.HeldByAnotherRun:
                return ClaimVerdict.Decided(ScanOutcomeStatus.Skipped, $"being calibrated by another run: {claim.Reason}");
            default:
                return ClaimVerdict.Decided(ScanOutcomeStatus.Failed, $"{claim.Reason} (failed before with the same input; requeue with scanflow retry)");
        }
    }

    /// <summary>Records the claimed attempt SUCCEEDED, FAILED (transient or permanent) or CANCELLED; a transient failure may be
    /// retried while the ledger's retry budget lasts, and a full output disk does not count against it. An outcome of a scan
    /// another run has taken over is reported, not recorded. When the write fails the claim stands, so it can be recorded later;
    /// when it failed for a full disk, the ledger gives up its reserve of space for that later record (the caller makes it
    /// when nothing else writes any more: the end of a run).</summary>
    public RecordVerdict Record(ScanOutcome outcome)
    {
        if (!_claims.TryRemove(outcome.Scan, out var claim))
        {
            return new RecordVerdict(outcome, MayRetry: false);
        }

        if (_deferred.TryRemove(outcome.Scan, out _))
        {
            ledger.ReleaseReserve();
        }

        var stages = outcome.StageDurations.ToDictionary(p => PipelineStages.Name(p.Key), p => p.Value);
        try
        {
            if (outcome.Slurm is { } usage)
            {
                ledger.SlurmUsage(claim.RowId, claim.Attempt, usage.Node, usage.ElapsedSeconds, usage.CpuSeconds, usage.MaxRssBytes);
            }

            switch (outcome.Status)
            {
                case ScanOutcomeStatus.Succeeded:
                    var plots = ledger.Succeeded(
                        claim.RowId, claim.Attempt, outcome.Product!.Path, outcome.Product.Sha256, outcome.Product.Bytes, outcome.QualityProducts, stages, outcome.PlotDataPath);
                    return new RecordVerdict(outcome, MayRetry: false, plots);
                case ScanOutcomeStatus.Failed:
                    var kind = outcome.TransientFailure ? FailureKind.Transient : FailureKind.Permanent;
                    ledger.Failed(claim.RowId, claim.Attempt, StageName(outcome.FailedStage), outcome.Error ?? "", kind, stages, countsAsTry: !outcome.OutputDiskFull);
                    return new RecordVerdict(outcome, kind == FailureKind.Transient && ledger.ShouldRetry(claim.RowId));
                default:
                    ledger.Cancelled(claim.RowId, claim.Attempt, StageName(outcome.FailedStage), stages);
                    return new RecordVerdict(outcome, MayRetry: false);
            }
        }
        catch (InvalidOperationException e)
        {
            // Another run took the scan over (this one was judged dead): its record stands, this outcome is reported.
            return new RecordVerdict(outcome with { Error = $"{outcome.Error} (not recorded: {e.Message})".TrimStart() }, MayRetry: false);
        }
        catch (Exception e)
        {
            Defer(outcome.Scan, claim, e);
            throw;
        }
    }

    void ISlurmLedger.SlurmSubmitting(string submission, string planPath, string jobName, int tasks, IReadOnlyList<(PlannedScan Scan, int Task, int Index)> scans) =>
        ledger.SlurmSubmitting(new SlurmSubmission(
            submission, planPath, jobName, tasks, [.. scans.Select(s =>
            {
                var claim = _claims[s.Scan];
                return (claim.RowId, claim.Attempt, s.Task, s.Index);
            })]));

    void ISlurmLedger.SlurmSubmitted(string submission, string jobId) => ledger.SlurmSubmitted(submission, jobId);

    /// <summary>Ends the claim of a scan stopped before it started as CANCELLED; when the write fails the claim stands.</summary>
    public void Release(PlannedScan scan)
    {
        if (_claims.TryRemove(scan, out var claim))
        {
            try
            {
                ledger.Cancelled(claim.RowId, claim.Attempt, null, new Dictionary<string, TimeSpan>());
            }
            catch (Exception e)
            {
                Defer(scan, claim, e);
                throw;
            }
        }
    }

    /// <summary>The plots that dead runs owe become this run's to draw.</summary>
    public IReadOnlyList<PendingPlots> TakeOverPendingPlots() => ledger.TakeOverPendingPlots();

    /// <summary>Records drawn plots as their product's, unless this run no longer owes them.</summary>
    public bool PlotsDrawn(PendingPlots pending, IReadOnlyList<ProductFile> plots) => ledger.PlotsDrawn(pending, plots);

    /// <summary>A missed heartbeat (a ledger busy or briefly unreachable) is harmless unless it lasts the heartbeat
    /// timeout, and the next ledger write fails loudly then; thrown on a timer thread it would kill the process.</summary>
    public void Heartbeat()
    {
        try
        {
            ledger.Heartbeat();
        }
        catch (Exception e) when (e is DbException or ObjectDisposedException)
        {
            // Ignored: see above.
        }
    }

    /// <summary>A write of the scan's outcome failed: the claim stands, to be recorded later.</summary>
    private void Defer(PlannedScan scan, ClaimResult claim, Exception error)
    {
        _claims[scan] = claim;
        if (OutputDisk.IsFull(error))
        {
            _deferred[scan] = 0;
        }
    }

    private static string StageName(PipelineStage? stage) => stage is { } s ? PipelineStages.Name(s) : "ledger";

    /// <summary>A product already in place for a scan the ledger did not record as done. When its provenance is this
    /// claim's it is recorded (not redone) with the QA files found beside it under their deterministic names (written
    /// before the L1 file was renamed into place, so an L1 file in place has its QA metrics) and owes the plots of the
    /// plot data beside it (<paramref name="plots"/>, for the caller to draw); otherwise it is set aside with its QA
    /// files under a versioned name and the scan calibrated.</summary>
    private bool Adopt(ClaimResult claim, string l1Path, string inputSha256, IReadOnlyList<string> calibrationSha256, out PendingPlots? plots)
    {
        plots = null;
        var provenance = L1Provenance.Read(l1Path);
        if (provenance is not null && provenance.InputSha256 == inputSha256 && provenance.ConfigSha256 == _configSha256
            && provenance.CalibrationInputSha256.SequenceEqual(calibrationSha256))
        {
            var plotData = PlotDataFile.PathFor(l1Path);
            // With plot data beside it the plots are still owed: PNGs found are another attempt's, redrawn from it.
            var sidecars = L1FileNaming.Sidecars(l1Path)
                .Where(s => !File.Exists(plotData) || s.Type != ProductTypes.Plot)
                .Select(s => new ProductFile(s.Type, s.Path, new FileInfo(s.Path).Length, FileChecksum.Sha256(s.Path))).ToList();
            plots = ledger.Succeeded(
                claim.RowId, claim.Attempt, l1Path, FileChecksum.Sha256(l1Path), new FileInfo(l1Path).Length, sidecars, new Dictionary<string, TimeSpan>(),
                File.Exists(plotData) ? plotData : null);
            return true;
        }

        SetAside(l1Path);
        return false;
    }

    /// <summary>Moves a product and its QA files to a versioned name and has the ledger's products rows follow them.
    /// A crash between the two leaves the rows of that older attempt naming the unversioned paths (docs/operations.md).</summary>
    private void SetAside(string l1Path) => ledger.ProductsMoved(L1ProductFiles.SetAside(l1Path));
}

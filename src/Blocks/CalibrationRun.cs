using System.Collections.Concurrent;
using System.Data.Common;
using System.Threading.Channels;
using Scanflow.Engine.Formats;
using Scanflow.Engine.Ledger;
using Scanflow.Engine.Planning;
using Scanflow.Engine.Processing;

namespace Scanflow.Blocks;

/// <summary>
/// Runs planned scans through the graph under the ledger's rules: each scan is hashed and claimed (RUNNING) before it
/// enters the graph, skipped when the ledger already holds a product of the same inputs and configuration, recorded
/// SUCCEEDED only after its product is in place, retried with exponential backoff after a transient failure, and its
/// superseded product (changed input) kept under a versioned name. Scans left RUNNING by a dead run are requeued and
/// their temporary files removed first. Without a ledger it is the plain graph run.
/// </summary>
public sealed class CalibrationRun : IDisposable
{
    private readonly PipelineOptions _options;
    private readonly LedgerWriter? _ledger;
    private readonly TimeSpan _retryBaseDelay;
    private readonly Action<ScanOutcome> _record;
    private readonly CalibrationGraph _graph;
    // Bounded: a burst of thousands of files waits in the caller (and on disk), not here.
    private readonly Channel<(PlannedScan Scan, int Attempt)> _intake = Channel.CreateBounded<(PlannedScan, int)>(64);
    private readonly ConcurrentDictionary<PlannedScan, ClaimResult> _claims = new();
    private readonly ConcurrentDictionary<string, string> _calibrationSha256 = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<Task> _retries = [];
    private readonly CancellationTokenSource _stopping = new();
    private int _pending;
    private volatile bool _intakeClosed;

    public CalibrationRun(PipelineOptions options, LedgerWriter? ledger, Action<ScanOutcome> record, TimeSpan retryBaseDelay)
    {
        _options = options;
        _ledger = ledger;
        _record = record;
        _retryBaseDelay = retryBaseDelay;
        _graph = new CalibrationGraph(options, Recorded);
    }

    /// <summary>The graph, for progress displays.</summary>
    public CalibrationGraph Graph => _graph;

    /// <summary>Scans requeued at start because the run that held them died (their temporary files are gone).</summary>
    public IReadOnlyList<RecoveredScan> Recovered { get; private set; } = [];

    /// <summary>Calibrates <paramref name="scans"/>; every scan gets exactly one final outcome through the callback. When
    /// <paramref name="stop"/> fires no further scan is claimed, scans in flight get <paramref name="grace"/>, the
    /// rest are reported cancelled.</summary>
    public async Task RunAsync(IReadOnlyList<PlannedScan> scans, TimeSpan grace, CancellationToken stop)
    {
        var processing = ProcessAsync(grace, stop);
        var enqueued = 0;
        try
        {
            foreach (var scan in scans)
            {
                await EnqueueAsync(scan, stop);
                enqueued++;
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            foreach (var scan in scans.Skip(enqueued))
            {
                var outcome = NotStarted(scan);
                _record(outcome);
                _options.Metrics?.ScanConcluded(outcome);
            }
        }

        CompleteIntake();
        await processing;
    }

    /// <summary>Service mode: queues one scan, waiting while the intake queue is full (backpressure to the caller).</summary>
    public async ValueTask EnqueueAsync(PlannedScan scan, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _pending);
        try
        {
            await _intake.Writer.WriteAsync((scan, 1), cancellationToken);
        }
        catch
        {
            Interlocked.Decrement(ref _pending);
            throw;
        }
    }

    /// <summary>No more scans will be enqueued: <see cref="ProcessAsync"/> completes once those queued are done.</summary>
    public void CompleteIntake()
    {
        _intakeClosed = true;
        if (Volatile.Read(ref _pending) == 0)
        {
            _intake.Writer.TryComplete();
        }
    }

    /// <summary>Claims and calibrates queued scans until the intake is complete and drained, or until
    /// <paramref name="stop"/> (then scans in flight get <paramref name="grace"/>; queued ones are reported not started).</summary>
    public async Task ProcessAsync(TimeSpan grace, CancellationToken stop)
    {
        if (_ledger is not null)
        {
            Recovered = _ledger.RecoverDeadRuns();
            foreach (var scan in Recovered)
            {
                File.Delete(L1FileNaming.TemporaryPath(scan.L1Path));
            }
        }

        using var heartbeat = _ledger is null ? null : new Timer(_ => Heartbeat(), null, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30));
        using var registration = stop.Register(() =>
        {
            _stopping.Cancel();
            _graph.CancelInFlightAfter(grace);
        });

        try
        {
            await foreach (var (scan, attempt) in _intake.Reader.ReadAllAsync(_stopping.Token))
            {
                await SubmitAsync(scan, attempt);
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Stopped: what is still queued is reported below as not started.
        }
        catch (Exception e)
        {
            // A dead run must not leave callers waiting for room in the intake forever.
            _intake.Writer.TryComplete(e);
            throw;
        }

        _graph.Complete();
        await _graph.Completion;
        await Task.WhenAll(_retries);
        while (_intake.Reader.TryRead(out var left))
        {
            Conclude(NotStarted(left.Scan));
        }
    }

    public void Dispose()
    {
        _graph.Dispose();
        _stopping.Dispose();
    }

    /// <summary>A missed heartbeat (a ledger busy or briefly unreachable) is harmless unless it lasts the heartbeat
    /// timeout, and the next ledger write fails loudly then; thrown on a timer thread it would kill the process.</summary>
    private void Heartbeat()
    {
        try
        {
            _ledger!.Heartbeat();
        }
        catch (Exception e) when (e is DbException or ObjectDisposedException)
        {
            // Ignored: see above.
        }
    }

    /// <summary>Hashes and claims one scan, then hands it to the graph, or reports why it is not calibrated.</summary>
    private async Task SubmitAsync(PlannedScan scan, int attempt)
    {
        var started = _options.Time.GetUtcNow();
        string inputSha256;
        try
        {
            var input = new FileInfo(scan.Science.FilePath);
            inputSha256 = _ledger?.KnownInputSha256(scan.Science.FilePath, input.Length, input.LastWriteTimeUtc) ?? FileChecksum.Sha256(input.FullName);
            if (_ledger is not null && !Claim(scan, input, inputSha256, started))
            {
                return;
            }
        }
        catch (IOException e)
        {
            Conclude(Final(scan, ScanOutcomeStatus.Failed, PipelineStage.Load, $"{scan.Science.FilePath}: cannot be read: {e.Message}", started));
            return;
        }

        bool accepted;
        try
        {
            accepted = await _graph.SubmitAsync(
                scan, inputSha256, _calibrationSha256.GetValueOrDefault(scan.Calibration.FilePath), _stopping.Token);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Claimed but stopped before it entered the graph: release the claim and report it.
            if (_claims.TryRemove(scan, out var claim))
            {
                _ledger!.Cancelled(claim.RowId, claim.Attempt, null, new Dictionary<string, TimeSpan>());
            }

            Conclude(NotStarted(scan));
            throw;
        }

        if (!accepted)
        {
            throw new InvalidOperationException($"The graph refused scan {scan.Science.ScanId}: it is completing or faulted.");
        }
    }

    /// <summary>Claims the scan in the ledger; false when it must not be calibrated (its outcome is already emitted).</summary>
    private bool Claim(PlannedScan scan, FileInfo input, string inputSha256, DateTimeOffset started)
    {
        var science = scan.Science;
        var calibration = scan.Calibration;
        var l1Path = L1FileNaming.PathFor(_options.OutputDirectory, science);
        var claim = _ledger!.Claim(new ScanClaim
        {
            ScanId = science.ScanId,
            Band = science.Band,
            Source = science.Source,
            ObsMode = science.ObsMode!.Value,
            StartMjd = science.StartMjd,
            InputPath = science.FilePath,
            InputSha256 = inputSha256,
            InputBytes = input.Length,
            CalibrationScanIds = [calibration.ScanId],
            CalibrationSha256 = [_calibrationSha256.GetOrAdd(calibration.FilePath, FileChecksum.Sha256)],
            ConfigSha256 = _options.Calibration.Sha256(),
            EngineVersion = EngineInfo.Version,
            L1Path = l1Path,
            InputLastWriteUtc = input.LastWriteTimeUtc,
        });
        switch (claim.Outcome)
        {
            case ClaimOutcome.Claimed:
                if (claim.SupersededL1Path is { } older && File.Exists(older))
                {
                    File.Move(older, L1FileNaming.VersionedPath(older));
                }

                if (File.Exists(l1Path) && AdoptFinishedProduct(scan, claim, l1Path, inputSha256, started))
                {
                    return false;
                }

                _claims[scan] = claim;
                return true;
            case ClaimOutcome.AlreadySucceeded when !File.Exists(claim.ExistingL1Path):
                Conclude(Final(
                    scan, ScanOutcomeStatus.Failed, null,
                    $"the ledger records a product at {claim.ExistingL1Path}, but the file is gone; restore it, or calibrate into a new output directory with its own ledger",
                    started));
                return false;
            case ClaimOutcome.AlreadySucceeded:
                Conclude(Final(scan, ScanOutcomeStatus.Skipped, null, $"already calibrated: {claim.ExistingL1Path}", started));
                return false;
            case ClaimOutcome.HeldByAnotherRun:
                Conclude(Final(scan, ScanOutcomeStatus.Skipped, null, $"being calibrated by another run: {claim.Reason}", started));
                return false;
            default:
                Conclude(Final(scan, ScanOutcomeStatus.Failed, null, $"{claim.Reason} (failed before with the same input; requeue with scanflow retry)", started));
                return false;
        }
    }

    /// <summary>A product already in place for a scan the ledger did not record as done: a run died between renaming
    /// it into place and recording it. When its provenance is this claim's, it is recorded (not redone); otherwise it
    /// is kept under a versioned name and the scan is calibrated again.</summary>
    private bool AdoptFinishedProduct(PlannedScan scan, ClaimResult claim, string l1Path, string inputSha256, DateTimeOffset started)
    {
        var provenance = L1Provenance.Read(l1Path);
        if (provenance is not null && provenance.InputSha256 == inputSha256 && provenance.ConfigSha256 == _options.Calibration.Sha256()
            && provenance.CalibrationInputSha256.SequenceEqual([_calibrationSha256[scan.Calibration.FilePath]]))
        {
            _ledger!.Succeeded(claim.RowId, claim.Attempt, l1Path, FileChecksum.Sha256(l1Path), new FileInfo(l1Path).Length, new Dictionary<string, TimeSpan>());
            Conclude(Final(scan, ScanOutcomeStatus.Skipped, null, $"already calibrated (product of an interrupted run recorded): {l1Path}", started));
            return true;
        }

        File.Move(l1Path, L1FileNaming.VersionedPath(l1Path));
        return false;
    }

    /// <summary>Record stage: the ledger learns the outcome; a transient failure with retries left goes back to intake
    /// after 1, 2, 4 … × the base delay instead of being final.</summary>
    private void Recorded(ScanOutcome outcome)
    {
        if (_ledger is not null && _claims.TryRemove(outcome.Scan, out var claim))
        {
            try
            {
                if (RecordInLedger(outcome, claim))
                {
                    return;
                }
            }
            catch (InvalidOperationException e)
            {
                // Another run took the scan over (this one was judged dead): its record stands, this outcome is reported.
                outcome = outcome with { Error = $"{outcome.Error} (not recorded: {e.Message})".TrimStart() };
            }
        }

        Emit(outcome);
    }

    /// <summary>Writes the outcome to the ledger; true when a retry was scheduled instead of a final outcome.</summary>
    private bool RecordInLedger(ScanOutcome outcome, ClaimResult claim)
    {
        var stages = outcome.StageDurations.ToDictionary(p => p.Key.ToString().ToLowerInvariant(), p => p.Value);
        switch (outcome.Status)
        {
            case ScanOutcomeStatus.Succeeded:
                _ledger!.Succeeded(claim.RowId, claim.Attempt, outcome.Product!.Path, outcome.Product.Sha256, outcome.Product.Bytes, stages);
                return false;
            case ScanOutcomeStatus.Failed:
                var kind = outcome.TransientFailure ? FailureKind.Transient : FailureKind.Permanent;
                _ledger!.Failed(claim.RowId, claim.Attempt, Stage(outcome.FailedStage), outcome.Error ?? "", kind, stages);
                if (kind == FailureKind.Transient && !_stopping.IsCancellationRequested && _ledger.ShouldRetry(claim.RowId))
                {
                    Retry(outcome.Scan, claim.Attempt);
                    return true;
                }

                return false;
            default:
                _ledger!.Cancelled(claim.RowId, claim.Attempt, Stage(outcome.FailedStage), stages);
                return false;
        }
    }

    private void Retry(PlannedScan scan, int attempt)
    {
        var delay = _retryBaseDelay * Math.Pow(2, attempt - 1);
        _retries.Add(Task.Run(async () =>
        {
            try
            {
                await Task.Delay(delay, _stopping.Token);
                await _intake.Writer.WriteAsync((scan, attempt + 1), _stopping.Token);
                return;
            }
            catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
            {
                // Stopped while waiting: the scan stays FAILED (transient) in the ledger; the next run retries it.
            }

            // Not counted in the metrics again: the graph counted the failed attempt.
            Emit(Final(scan, ScanOutcomeStatus.Failed, null, "transient failure; the run stopped before its retry", _options.Time.GetUtcNow()));
        }));
    }

    /// <summary>Passes a final outcome on; the last one closes intake so the run can complete.</summary>
    private void Emit(ScanOutcome outcome)
    {
        _record(outcome);
        if (Interlocked.Decrement(ref _pending) == 0 && _intakeClosed)
        {
            _intake.Writer.TryComplete();
        }
    }

    /// <summary>Passes on an outcome decided here, without the graph (skipped, refused by the ledger, not started),
    /// counting it as the graph counts those it records.</summary>
    private void Conclude(ScanOutcome outcome)
    {
        _options.Metrics?.ScanConcluded(outcome);
        Emit(outcome);
    }

    private ScanOutcome NotStarted(PlannedScan scan) =>
        Final(scan, ScanOutcomeStatus.Cancelled, null, "not started: the run was stopped", _options.Time.GetUtcNow());

    private ScanOutcome Final(PlannedScan scan, ScanOutcomeStatus status, PipelineStage? stage, string reason, DateTimeOffset started) =>
        new(scan, status, stage, reason, null, null, 0, new Dictionary<PipelineStage, TimeSpan>(), started, _options.Time.GetUtcNow());

    private static string Stage(PipelineStage? stage) => stage?.ToString().ToLowerInvariant() ?? "ledger";
}

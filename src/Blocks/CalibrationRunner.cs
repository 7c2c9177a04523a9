using System.Collections.Concurrent;
using System.Threading.Channels;
using Scanflow.Engine.Formats;
using Scanflow.Engine.Ledger;
using Scanflow.Engine.Planning;

namespace Scanflow.Blocks;

/// <summary>
/// The one driver of a calibration run, for the CLI, the service, tests and benchmarks: hashes and claims each scan in
/// the ledger before it is submitted to the executor, retries transient failures with exponential backoff, and on a
/// stop claims nothing more, gives scans in flight the grace, and reports the rest as not started. A full output disk
/// (<see cref="PipelineOptions.PauseOnDiskFull"/>) ends a batch run the same way, without cutting the grace short, or
/// pauses a service's intake. Every scan it is given gets exactly one final outcome through the report callback. Where
/// scans execute is the executor's business (<see cref="CalibrationGraph"/> in this process).
/// </summary>
public sealed class CalibrationRunner : IDisposable
{
    private const string NotStartedReason = "not started: the run was stopped";
    private static readonly TimeSpan HeartbeatPeriod = TimeSpan.FromSeconds(30);

    private readonly PipelineOptions _options;
    private readonly IScanLedger _ledger;
    private readonly Action<ScanOutcome> _report;
    private readonly IScanExecutor _executor;
    private readonly PlotRenderer _plots;
    // Bounded: a burst of thousands of files waits in the caller (and on disk), not here.
    private readonly Channel<(PlannedScan Scan, int Attempt)> _intake = Channel.CreateBounded<(PlannedScan, int)>(64);
    private readonly ConcurrentDictionary<string, string> _calibrationSha256 = new(StringComparer.Ordinal);
    // This run's attempt at each scan in flight: 1, then one more per retry (the backoff doubles with it).
    private readonly ConcurrentDictionary<PlannedScan, int> _attempts = new();
    private readonly ConcurrentBag<Task> _retries = [];
    private readonly CancellationTokenSource _stopping = new();
    // Outcomes a full disk kept out of the ledger (a batch run): recorded once the scans in flight have removed their
    // temporary files, at the end of the run.
    private readonly ConcurrentQueue<ScanOutcome> _unrecorded = new();
    private readonly Lock _pauseGate = new();
    private TaskCompletionSource? _resumed; // set while intake is paused
    private string? _pausedReason;
    private string? _diskFull;
    private int _pending;
    private volatile bool _intakeClosed;

    /// <summary>A runner that executes scans in a <see cref="CalibrationGraph"/> in this process, or, with
    /// <see cref="PipelineOptions.Slurm"/>, as SLURM job arrays (which needs a <see cref="SqliteScanLedger"/>).</summary>
    /// <param name="options">The graph's stages, output directory and calibration settings, and the runner's grace and retries.</param>
    /// <param name="ledger">Decides which scans are calibrated and records their outcomes (<see cref="NoScanLedger"/> for none).</param>
    /// <param name="report">Receives every scan's final outcome, once.</param>
    public CalibrationRunner(PipelineOptions options, IScanLedger ledger, Action<ScanOutcome> report)
        : this(options, ledger, report, attempted => Executor(options, ledger, attempted))
    {
    }

    internal CalibrationRunner(PipelineOptions options, IScanLedger ledger, Action<ScanOutcome> report, Func<Action<ScanOutcome>, IScanExecutor> executor)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _ledger = ledger;
        _report = report;
        _plots = new PlotRenderer(ledger, options.PlotsDrawn);
        _executor = executor(Attempted);
    }

    private static IScanExecutor Executor(PipelineOptions options, IScanLedger ledger, Action<ScanOutcome> attempted) => options.Slurm switch
    {
        null => new CalibrationGraph(options, attempted),
        { } slurm when ledger is ISlurmLedger slurmLedger => new SlurmExecutor(options, slurm, slurmLedger, new SlurmClient(), attempted),
        _ => throw new ArgumentException("the SLURM executor records its jobs in the ledger: give the runner a SqliteScanLedger", nameof(ledger)),
    };

    /// <summary>Scans requeued at start because the run that held them died (their temporary files are gone).</summary>
    public IReadOnlyList<RecoveredScan> Recovered { get; private set; } = [];

    /// <summary>Bytes of ON counts read so far.</summary>
    public long BytesRead => _executor.BytesRead;

    /// <summary>Completes when the executor has finished; faults when it broke (a bug, not a scan's failure).</summary>
    public Task ExecutorCompletion => _executor.Completion;

    /// <summary>Why this batch run stopped taking scans because its output disk filled up ("output disk full (N MB free
    /// on MOUNT)"); null while it has not.</summary>
    public string? DiskFull => Volatile.Read(ref _diskFull);

    /// <summary>Scans whose outcome could not be recorded because the ledger's disk stayed full to the end of the run:
    /// their rows are left RUNNING, and the next run recovers them.</summary>
    public IReadOnlyList<PlannedScan> Unrecorded { get; private set; } = [];

    /// <summary>Why intake is paused; null while scans are taken.</summary>
    public string? Paused => Volatile.Read(ref _pausedReason);

    /// <summary>Claims nothing more until <see cref="Resume"/>; scans in flight go on. Queued scans and retries wait.</summary>
    public void Pause(string reason)
    {
        lock (_pauseGate)
        {
            _resumed ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref _pausedReason, reason);
        }
    }

    /// <summary>Takes scans again after <see cref="Pause"/>.</summary>
    public void Resume()
    {
        TaskCompletionSource? resumed;
        lock (_pauseGate)
        {
            resumed = _resumed;
            _resumed = null;
            Volatile.Write(ref _pausedReason, null);
        }

        resumed?.TrySetResult();
    }

    /// <summary>Each stage's queue and work right now.</summary>
    public IReadOnlyList<StageActivity> Activity() => _executor.Activity();

    /// <summary>Cancels scans in flight now, without waiting for the rest of the grace (a second Ctrl+C).</summary>
    public void CancelInFlight() => _executor.CancelInFlightAfter(TimeSpan.Zero);

    /// <summary>Calibrates <paramref name="scans"/> in order. When <paramref name="stop"/> fires no further scan is
    /// claimed, scans in flight get the grace, the rest are reported not started.</summary>
    public async Task RunAsync(IReadOnlyList<PlannedScan> scans, CancellationToken stop)
    {
        var processing = ProcessAsync(stop);
        var enqueued = 0;
        // A stop, or a full disk: the scans not yet queued are not started.
        using var stopped = CancellationTokenSource.CreateLinkedTokenSource(stop, _stopping.Token);
        try
        {
            foreach (var scan in scans)
            {
                await EnqueueAsync(scan, stopped.Token);
                enqueued++;
            }
        }
        catch (OperationCanceledException) when (stopped.IsCancellationRequested)
        {
            foreach (var scan in scans.Skip(enqueued))
            {
                Interlocked.Increment(ref _pending);
                NotStarted(scan);
            }
        }
        catch (ChannelClosedException)
        {
            // The executor broke: awaiting the processing below reports why.
        }

        CompleteIntake();
        await processing;
    }

    /// <summary>Queues one scan, waiting while the intake is full (backpressure to the caller).</summary>
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
    /// <paramref name="stop"/> (then scans in flight get the grace; queued ones are reported not started).</summary>
    public async Task ProcessAsync(CancellationToken stop)
    {
        try
        {
            Recovered = _ledger.RecoverDeadRuns();
            // Drawn before any scan is claimed, so a claim that supersedes one of these products finds its plots in place.
            foreach (var owed in _ledger.TakeOverPendingPlots())
            {
                _plots.Draw(owed, quality: null);
            }
        }
        catch (Exception e)
        {
            // A ledger that cannot be written (a full disk): callers waiting for room in the intake learn it at once.
            _intake.Writer.TryComplete(e);
            throw;
        }

        using var heartbeat = _options.Time.CreateTimer(_ => _ledger.Heartbeat(), null, HeartbeatPeriod, HeartbeatPeriod);
        using var registration = stop.Register(() =>
        {
            _stopping.Cancel();
            _executor.CancelInFlightAfter(_options.Grace);
        });
        // A broken executor reports no more outcomes: stop waiting for scans to arrive or finish.
        _ = _executor.Completion.ContinueWith(
            t => _intake.Writer.TryComplete(t.Exception), CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);

        try
        {
            await foreach (var (scan, attempt) in _intake.Reader.ReadAllAsync(_stopping.Token))
            {
                if (_stopping.IsCancellationRequested)
                {
                    // Queued before the stop (the reader hands out what is buffered without looking at the token).
                    NotStarted(scan);
                    continue;
                }

                if (_options.HoldIntake?.Invoke() is { } hold)
                {
                    Pause(hold);
                }

                await WhilePausedAsync(scan);
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
            if (_executor.Completion.IsFaulted)
            {
                await _executor.Completion; // its own error says more than the closed intake
            }

            throw;
        }

        _executor.Complete();
        await _executor.Completion; // a fault has closed the intake already (above)
        // A stopped run draws what is queued too (at most a few seconds): a clean stop leaves no plots owed.
        await _plots.CompleteAsync();

        await Task.WhenAll(_retries);
        while (_intake.Reader.TryRead(out var left))
        {
            NotStarted(left.Scan);
        }

        RecordDeferred();
    }

    /// <summary>Releases the executor and the stop signal.</summary>
    public void Dispose()
    {
        _executor.Dispose();
        _plots.Dispose();
        _stopping.Dispose();
    }

    /// <summary>Hashes and claims one scan, then hands it to the executor, or reports why it is not calibrated.</summary>
    private async Task SubmitAsync(PlannedScan scan, int attempt)
    {
        var started = _options.Time.GetUtcNow();
        string inputSha256;
        string[] calibrationSha256;
        ClaimVerdict claimed;
        try
        {
            var input = new FileInfo(scan.Science.FilePath);
            inputSha256 = _ledger.KnownInputSha256(input) ?? FileChecksum.Sha256(input.FullName);
            calibrationSha256 = [.. scan.Calibrations.Select(c => _calibrationSha256.GetOrAdd(c.FilePath, FileChecksum.Sha256))];
            claimed = _ledger.Claim(scan, input, inputSha256, calibrationSha256);
            if (claimed is { Calibrate: false } verdict)
            {
                if (verdict.Plots is { } adopted)
                {
                    _plots.Enqueue(adopted, quality: null);
                }

                Conclude(ScanOutcome.Decided(scan, verdict.Decision!.Value, verdict.Reason!, started, _options.Time.GetUtcNow()), counted: true);
                return;
            }
        }
        catch (Exception e) when (!_options.PauseOnDiskFull && OutputDisk.IsFull(e))
        {
            // The ledger shares the full disk and the claim was not written: nothing to undo.
            // The scan never started, so it is reported as not started, like the scans after it.
            StopForDiskFull(OutputDisk.Full(_options.OutputDirectory));
            NotStarted(scan);
            return;
        }
        catch (IOException e)
        {
            var outcome = ScanOutcome.Decided(scan, ScanOutcomeStatus.Failed, $"{scan.Science.FilePath}: cannot be read: {e.Message}", started, _options.Time.GetUtcNow());
            Conclude(outcome with { FailedStage = PipelineStage.Load }, counted: true);
            return;
        }

        _attempts[scan] = attempt;
        bool accepted;
        try
        {
            accepted = await _executor.SubmitAsync(new ScanJob(scan, inputSha256, calibrationSha256) { Reattach = claimed.Reattach, Attempt = attempt }, _stopping.Token);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Claimed but stopped before it was submitted: release the claim and report it.
            try
            {
                _ledger.Release(scan);
            }
            catch (Exception e) when (!_options.PauseOnDiskFull && OutputDisk.IsFull(e))
            {
                var now = _options.Time.GetUtcNow();
                _unrecorded.Enqueue(ScanOutcome.Decided(scan, ScanOutcomeStatus.Cancelled, NotStartedReason, now, now));
            }

            NotStarted(scan);
            throw;
        }

        if (!accepted)
        {
            await _executor.Completion; // a broken executor's own error says more than the refusal
            throw new InvalidOperationException($"The executor refused scan {scan.Science.ScanId}: it is completing or faulted.");
        }
    }

    /// <summary>An attempt's outcome from the executor: the ledger learns it; a transient failure with retries left
    /// goes back to intake after 1, 2, 4 … × the base delay instead of being final.</summary>
    private void Attempted(ScanOutcome outcome)
    {
        RecordVerdict verdict;
        try
        {
            verdict = _ledger.Record(outcome);
        }
        catch (Exception e) when (!_options.PauseOnDiskFull && OutputDisk.IsFull(e))
        {
            // The ledger shares the full disk: tried again at the end of the run, when the scans in flight are gone.
            _unrecorded.Enqueue(outcome);
            verdict = new RecordVerdict(outcome with { OutputDiskFull = true }, MayRetry: false);
        }

        if (verdict.Plots is { } owed)
        {
            _plots.Enqueue(owed, outcome.Quality);
        }

        if (verdict.Outcome.OutputDiskFull && DiskFullAttempt(verdict))
        {
            return;
        }

        if (verdict.MayRetry && !_stopping.IsCancellationRequested)
        {
            Retry(outcome.Scan, _attempts.TryRemove(outcome.Scan, out var attempt) ? attempt : 1);
            return;
        }

        _attempts.TryRemove(outcome.Scan, out _);
        // Counted by the executor, which counts every attempt.
        Conclude(verdict.Outcome, counted: false);
    }

    /// <summary>A scan met a full output disk. A service pauses intake and tries the scan again once it resumes (true:
    /// handled); a batch run stops taking scans and reports the outcome as final (false).</summary>
    private bool DiskFullAttempt(RecordVerdict verdict)
    {
        var outcome = verdict.Outcome;
        var reason = outcome.Status == ScanOutcomeStatus.Failed && outcome.Error is { } error ? error : OutputDisk.Full(_options.OutputDirectory);
        if (!_options.PauseOnDiskFull)
        {
            StopForDiskFull(reason);
            return false;
        }

        Pause(reason);
        if (!verdict.MayRetry || _stopping.IsCancellationRequested)
        {
            return false;
        }

        // Not a retry of the scan's own trouble: no backoff, and it waits for the resume in the intake.
        Retry(outcome.Scan, _attempts.TryRemove(outcome.Scan, out var attempt) ? attempt : 1, TimeSpan.Zero);
        return true;
    }

    /// <summary>The first full-disk failure of a batch run: no further scan is claimed; scans in flight end by
    /// themselves (they gain nothing from a grace cut short) and the rest are reported not started.</summary>
    private void StopForDiskFull(string reason)
    {
        if (Interlocked.CompareExchange(ref _diskFull, reason, null) is null)
        {
            _stopping.Cancel();
        }
    }

    /// <summary>While paused, waits before claiming <paramref name="scan"/>; a stop meanwhile reports it not started.</summary>
    private async Task WhilePausedAsync(PlannedScan scan)
    {
        try
        {
            while (Volatile.Read(ref _resumed) is { } resumed)
            {
                await resumed.Task.WaitAsync(_stopping.Token);
            }
        }
        catch (OperationCanceledException)
        {
            NotStarted(scan);
            throw;
        }
    }

    /// <summary>Records what a full disk kept out of the ledger, now that the temporary files of the run are gone; what
    /// still does not fit stays RUNNING for the next run to recover.</summary>
    private void RecordDeferred()
    {
        var unrecorded = new List<PlannedScan>();
        while (_unrecorded.TryDequeue(out var outcome))
        {
            try
            {
                _ledger.Record(outcome);
            }
            catch (Exception e) when (OutputDisk.IsFull(e))
            {
                unrecorded.Add(outcome.Scan);
            }
        }

        Unrecorded = unrecorded;
    }

    private void Retry(PlannedScan scan, int attempt, TimeSpan? after = null)
    {
        var delay = after ?? _options.RetryBaseDelay * Math.Pow(2, attempt - 1);
        _retries.Add(Task.Run(async () =>
        {
            try
            {
                await Task.Delay(delay, _options.Time, _stopping.Token);
                await _intake.Writer.WriteAsync((scan, after is null ? attempt + 1 : attempt), _stopping.Token);
                return;
            }
            catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
            {
                // Stopped while waiting: the scan stays FAILED (transient) in the ledger; the next run retries it.
            }

            var now = _options.Time.GetUtcNow();
            Conclude(ScanOutcome.Decided(scan, ScanOutcomeStatus.Failed, "transient failure; the run stopped before its retry", now, now), counted: false);
        }));
    }

    private void NotStarted(PlannedScan scan)
    {
        var now = _options.Time.GetUtcNow();
        var reason = DiskFull is { } full ? $"not started: {full}" : NotStartedReason;
        Conclude(ScanOutcome.Decided(scan, ScanOutcomeStatus.Cancelled, reason, now, now), counted: true);
    }

    /// <summary>Reports a scan's final outcome; <paramref name="counted"/> when the metrics have yet to count it (the
    /// executor counts the attempts it ran). The last one closes intake so the run can complete.</summary>
    private void Conclude(ScanOutcome outcome, bool counted)
    {
        if (counted)
        {
            _options.Metrics?.ScanConcluded(outcome);
        }

        _report(outcome);
        if (Interlocked.Decrement(ref _pending) == 0 && _intakeClosed)
        {
            _intake.Writer.TryComplete();
        }
    }
}

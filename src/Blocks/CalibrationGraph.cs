using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Tasks.Dataflow;
using Scanflow.Engine.Formats;
using Scanflow.Engine.Model;
using Scanflow.Engine.Planning;
using Scanflow.Engine.Processing;
using Scanflow.Engine.Science;

namespace Scanflow.Blocks;

/// <summary>
/// The bounded Dataflow graph Load → Calibrate → Atmosphere → Prepare → Write → Record (DESIGN.md "Shape"). Scans
/// enter whole and flow as chunks of ON dumps; every block is bounded, so memory depends on the options, not on scan
/// size. Every block body turns exceptions into the scan's failure; only a bug in the plumbing faults the graph,
/// which then faults every block (nothing waits forever on a dead neighbour) and <see cref="Completion"/> fails.
/// Instrumented per stage: spans when a listener subscribes to <see cref="PipelineTelemetry.ActivitySourceName"/>,
/// metrics when <see cref="PipelineOptions.Metrics"/> is set (this graph's queues are then the ones sampled).
/// </summary>
public sealed class CalibrationGraph : IDisposable
{
    private readonly PipelineOptions _options;
    private readonly CalibrationCache _calibrations;
    private readonly ChunkBufferPool _buffers;
    private readonly CancellationTokenSource _cancel = new();
    private readonly CancellationTokenSource _faulted = new();
    private readonly ConcurrentDictionary<Band, double> _lastGoodPwv = new();
    private readonly ConcurrentDictionary<ScanState, byte> _live = new();
    private readonly int[] _busy = new int[Enum.GetValues<PipelineStage>().Length];
    private readonly ActionBlock<ScanJob> _load;
    private readonly TransformBlock<ChunkEnvelope, ChunkEnvelope> _calibrate;
    private readonly TransformBlock<ChunkEnvelope, ChunkEnvelope> _atmosphere;
    private readonly TransformBlock<ChunkEnvelope, ChunkEnvelope> _prepare;
    private readonly TransformManyBlock<ChunkEnvelope, ScanState> _write;
    private readonly ActionBlock<ScanState> _record;
    private readonly Action<ScanOutcome> _recordOutcome;
    private readonly PipelineMetrics? _metrics;
    private long _bytesRead;

    public CalibrationGraph(PipelineOptions options, Action<ScanOutcome> record)
    {
        if (options.Validate() is { } problem)
        {
            throw new ArgumentException(problem, nameof(options));
        }

        _options = options;
        _recordOutcome = record;
        _metrics = options.Metrics;
        _calibrations = new CalibrationCache(options.Calibration);
        _buffers = new ChunkBufferPool(TotalCapacity(options) + 2);
        _load = new ActionBlock<ScanJob>(LoadAsync, Settings(options.Load));
        _calibrate = new TransformBlock<ChunkEnvelope, ChunkEnvelope>(c => Stage(PipelineStage.Calibrate, c, Calibrate), Settings(options.Calibrate));
        _atmosphere = new TransformBlock<ChunkEnvelope, ChunkEnvelope>(c => Stage(PipelineStage.Atmosphere, c, Atmosphere), Settings(options.Atmosphere));
        _prepare = new TransformBlock<ChunkEnvelope, ChunkEnvelope>(c => Stage(PipelineStage.Prepare, c, Prepare), Settings(options.Prepare));
        _write = new TransformManyBlock<ChunkEnvelope, ScanState>(Write, Settings(options.Write));
        _record = new ActionBlock<ScanState>(Record, new ExecutionDataflowBlockOptions { BoundedCapacity = 16 });

        var link = new DataflowLinkOptions { PropagateCompletion = true };
        _calibrate.LinkTo(_atmosphere, link);
        _atmosphere.LinkTo(_prepare, link);
        _prepare.LinkTo(_write, link);
        _write.LinkTo(_record, link);

        // Load is not linked (it sends chunks itself), so its completion is handed on by hand.
        _load.Completion.ContinueWith(
            t =>
            {
                if (t.IsFaulted)
                {
                    FaultAll(t.Exception!);
                }
                else
                {
                    _calibrate.Complete();
                }
            },
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        foreach (var block in new IDataflowBlock[] { _calibrate, _atmosphere, _prepare, _write, _record })
        {
            block.Completion.ContinueWith(
                t => FaultAll(t.Exception!), CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        Completion = _record.Completion.ContinueWith(
            t =>
            {
                // After a plumbing fault, scans still open are abandoned: their temporary files are removed.
                foreach (var state in _live.Keys)
                {
                    state.Release();
                }

                t.GetAwaiter().GetResult();
            },
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        _metrics?.Attach(this);
    }

    /// <summary>Completes after the last scan's outcome was recorded; faults on a plumbing bug.</summary>
    public Task Completion { get; }

    /// <summary>Bytes of ON counts read so far.</summary>
    public long BytesRead => Interlocked.Read(ref _bytesRead);

    /// <summary>Queues a scan; waits while the Load queue is full (backpressure). <paramref name="inputSha256"/> and
    /// <paramref name="calibrationSha256"/>, when known, spare Load a second pass over those files.</summary>
    public Task<bool> SubmitAsync(
        PlannedScan scan, string? inputSha256 = null, string? calibrationSha256 = null, CancellationToken cancellationToken = default) =>
        _load.SendAsync(new ScanJob(scan, inputSha256, calibrationSha256), cancellationToken);

    /// <summary>No more scans: the graph completes once those submitted have been recorded.</summary>
    public void Complete() => _load.Complete();

    /// <summary>Stops work on scans in flight: each is reported as cancelled and leaves no partial file.</summary>
    public void CancelInFlight() => _cancel.Cancel();

    /// <summary>As <see cref="CancelInFlight"/>, after giving scans in flight <paramref name="grace"/> to finish.</summary>
    public void CancelInFlightAfter(TimeSpan grace) => _cancel.CancelAfter(grace);

    public IReadOnlyList<StageActivity> Activity() =>
    [
        new(PipelineStage.Load, _load.InputCount, Volatile.Read(ref _busy[(int)PipelineStage.Load])),
        new(PipelineStage.Calibrate, _calibrate.InputCount, Volatile.Read(ref _busy[(int)PipelineStage.Calibrate])),
        new(PipelineStage.Atmosphere, _atmosphere.InputCount, Volatile.Read(ref _busy[(int)PipelineStage.Atmosphere])),
        new(PipelineStage.Prepare, _prepare.InputCount, Volatile.Read(ref _busy[(int)PipelineStage.Prepare])),
        new(PipelineStage.Write, _write.InputCount, Volatile.Read(ref _busy[(int)PipelineStage.Write])),
        new(PipelineStage.Record, _record.InputCount, Volatile.Read(ref _busy[(int)PipelineStage.Record])),
    ];

    /// <summary>Calibrates <paramref name="scans"/> in order and completes the graph. When <paramref name="stop"/>
    /// fires, no further scan is started; scans in flight get <paramref name="grace"/> to finish, then are cancelled.
    /// Every scan gets one outcome through the record callback; scans never started are recorded as cancelled.</summary>
    public async Task RunAsync(IReadOnlyList<PlannedScan> scans, TimeSpan grace, CancellationToken stop)
    {
        using var registration = stop.Register(() => CancelInFlightAfter(grace));
        var submitted = 0;
        try
        {
            foreach (var scan in scans)
            {
                if (stop.IsCancellationRequested || !await SubmitAsync(scan, cancellationToken: stop))
                {
                    break;
                }

                submitted++;
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stop arrived while waiting for room in the Load queue.
        }

        Complete();
        await Completion;
        var now = _options.Time.GetUtcNow();
        foreach (var scan in scans.Skip(submitted))
        {
            var outcome = new ScanOutcome(
                scan, ScanOutcomeStatus.Cancelled, null, "not started: the run was stopped", null, null, 0, new Dictionary<PipelineStage, TimeSpan>(), now, now);
            _recordOutcome(outcome);
            _metrics?.ScanConcluded(outcome);
        }
    }

    public void Dispose()
    {
        _metrics?.Detach(this);
        _cancel.Dispose();
        _faulted.Dispose();
    }

    private static ExecutionDataflowBlockOptions Settings(StageOptions stage) => new()
    {
        MaxDegreeOfParallelism = stage.MaxDegreeOfParallelism,
        BoundedCapacity = stage.BoundedCapacity,
        EnsureOrdered = true,
    };

    private static int TotalCapacity(PipelineOptions o) =>
        o.Calibrate.BoundedCapacity + o.Atmosphere.BoundedCapacity + o.Prepare.BoundedCapacity + o.Write.BoundedCapacity;

    private void FaultAll(Exception error)
    {
        _faulted.Cancel();
        foreach (var block in new IDataflowBlock[] { _load, _calibrate, _atmosphere, _prepare, _write, _record })
        {
            block.Fault(error);
        }
    }

    /// <summary>Load: opens the scan, reads its calibration once, then reads ON chunks and sends them on, waiting when
    /// the next stage is full. Always ends a scan with one envelope marked last.</summary>
    private async Task LoadAsync(ScanJob job)
    {
        var plan = job.Scan;
        var state = new ScanState(plan, _options.Time.GetUtcNow()) { Telemetry = ScanTelemetry.Start(plan) };
        _live.TryAdd(state, 0);
        try
        {
            if (_cancel.IsCancellationRequested)
            {
                state.Cancel();
            }

            Run(PipelineStage.Load, state, () =>
            {
                _calibrations.Read(plan.Calibration.FilePath, job.CalibrationSha256);
                state.InputSha256 = job.InputSha256 ?? FileChecksum.Sha256(plan.Science.FilePath);
                state.Reader = ScienceScanReader.Open(plan.Science.FilePath);
            });

            if (!state.Stopped && await SendChunksAsync(state))
            {
                return;
            }

            await SendAsync(new ChunkEnvelope(state, 0, 0, null, isLast: true));
        }
        catch (OperationCanceledException e)
        {
            // A cancellation escaping a block body would silently drop the scan; it can only mean the graph faulted.
            throw new InvalidOperationException($"Load of scan {plan.Science.ScanId} stopped because the graph faulted.", e);
        }
    }

    /// <summary>Sends the scan's chunks; true when its last chunk went out, false when it stopped early.</summary>
    private async Task<bool> SendChunksAsync(ScanState state)
    {
        var reader = state.Reader!;
        var header = reader.Header;
        var perChunk = (int)Math.Clamp(_options.ChunkBytes / header.DumpBytes, 1, header.OnDumps);
        for (var first = 0; first < header.OnDumps; first += perChunk)
        {
            if (_cancel.IsCancellationRequested)
            {
                state.Cancel();
                return false;
            }

            var count = Math.Min(perChunk, header.OnDumps - first);
            var buffer = _buffers.Rent(perChunk * reader.DumpLength);
            var start = first;
            Run(PipelineStage.Load, state, () => reader.ReadOnDumps(start, count, buffer), (start, count));
            if (state.Stopped)
            {
                _buffers.Return(buffer);
                return false;
            }

            var bytes = count * header.DumpBytes;
            Interlocked.Add(ref state.BytesRead, bytes);
            Interlocked.Add(ref _bytesRead, bytes);
            _metrics?.BytesRead(bytes);
            var last = first + count >= header.OnDumps;
            var chunk = new ChunkEnvelope(state, first, count, buffer, last);
            await SendAsync(chunk);
            if (!_options.Prefetch)
            {
                await chunk.Written.Task.WaitAsync(_faulted.Token);
            }
        }

        return true;
    }

    private async Task SendAsync(ChunkEnvelope envelope)
    {
        if (!await _calibrate.SendAsync(envelope, _faulted.Token))
        {
            throw new InvalidOperationException("The calibrate stage declined a chunk: the graph is completing or faulted.");
        }
    }

    private ChunkEnvelope Stage(PipelineStage stage, ChunkEnvelope chunk, Action<ChunkEnvelope> work)
    {
        if (chunk.Buffer is not null)
        {
            Run(stage, chunk.Scan, () => work(chunk), stage == PipelineStage.Prepare ? (chunk.FirstDump, chunk.DumpCount) : null);
        }

        return chunk;
    }

    /// <summary>The scan's work in a stage, counted as busy only while it runs (not while waiting for queue space).
    /// Traced: the stage's span spans the scan's first to last work in the stage; work on a <paramref name="chunk"/>
    /// (first dump, dumps) gets its own span under it.</summary>
    private void Run(PipelineStage stage, ScanState state, Action work, (int First, int Dumps)? chunk = null)
    {
        if (state.Stopped)
        {
            return;
        }

        var telemetry = state.Telemetry;
        Activity? span = null;
        if (telemetry is not null)
        {
            telemetry.Enter(stage);
            span = chunk is var (first, dumps) ? telemetry.StartChunk(stage, first, dumps) : null;
        }

        Interlocked.Increment(ref _busy[(int)stage]);
        try
        {
            state.Run(stage, work);
        }
        finally
        {
            Interlocked.Decrement(ref _busy[(int)stage]);
            if (telemetry is not null)
            {
                ScanTelemetry.Stop(span);
                telemetry.Leave(stage);
            }
        }
    }

    /// <summary>Calibrate: the loads of the scan's calibration (§1.2–1.3), solved once per calibration scan.</summary>
    private void Calibrate(ChunkEnvelope chunk)
    {
        if (chunk.FirstDump == 0)
        {
            _calibrations.Loads(chunk.Scan.Scan.Calibration.FilePath);
        }
    }

    /// <summary>Atmosphere: the PWV fit (once per calibration scan) and the scan's calibration at its mean ON airmass;
    /// a failed fit falls back to the last good PWV of the band (§2.5).</summary>
    private void Atmosphere(ChunkEnvelope chunk)
    {
        if (chunk.FirstDump != 0)
        {
            return;
        }

        var state = chunk.Scan;
        var products = _calibrations.Products(state.Scan.Calibration.FilePath);
        var band = state.Scan.Science.Band;
        if (products.Fit.Status == AtmosphereFitStatus.Ok)
        {
            _lastGoodPwv[band] = products.Fit.PwvMm;
        }

        state.Context = ScienceScanContext.Create(state.Reader!, products, _lastGoodPwv.TryGetValue(band, out var last) ? last : null);
        _metrics?.CalibrationApplied(band, state.Context);
    }

    /// <summary>Prepare: OFF interpolation and T_A* for the chunk, in place (§1.6, §7.2, §7.3).</summary>
    private static void Prepare(ChunkEnvelope chunk)
    {
        var context = chunk.Scan.Context!;
        var scratch = ArrayPool<float>.Shared.Rent(context.Reader.DumpLength + context.Reader.Header.Channels);
        try
        {
            var length = chunk.DumpCount * context.Reader.DumpLength;
            context.CalibrateDumps(chunk.FirstDump, chunk.DumpCount, chunk.Buffer.AsSpan(0, length), chunk.Buffer.AsSpan(0, length), scratch);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scratch);
        }
    }

    /// <summary>Write: appends the chunk to the scan's L1 file; after the last chunk commits it (or abandons it) and
    /// emits the scan with its one outcome.</summary>
    private IEnumerable<ScanState> Write(ChunkEnvelope chunk)
    {
        var state = chunk.Scan;
        if (chunk.Buffer is not null)
        {
            Run(
                PipelineStage.Write,
                state,
                () =>
                {
                    state.Writer ??= L1Writer.Create(
                        L1FileNaming.PathFor(_options.OutputDirectory, state.Scan.Science),
                        L1ContentBuilder.Build(state.Context!, _options.Calibration, state.InputSha256!, state.Started));
                    state.Writer.WriteDumps(chunk.FirstDump, chunk.DumpCount, chunk.Buffer);
                },
                (chunk.FirstDump, chunk.DumpCount));
        }

        _buffers.Return(chunk.Buffer);
        chunk.Buffer = null;
        if (!chunk.IsLast)
        {
            chunk.Written.SetResult();
            return [];
        }

        L1Product? product = null;
        Run(PipelineStage.Write, state, () => product = state.Writer!.Commit());
        state.Release();
        chunk.Written.SetResult();
        _live.TryRemove(state, out _);
        var status = product is not null ? ScanOutcomeStatus.Succeeded : state.Cancelled ? ScanOutcomeStatus.Cancelled : ScanOutcomeStatus.Failed;
        state.Outcome = new ScanOutcome(
            state.Scan, status, state.FailedStage, state.Cancelled ? "cancelled: the run was stopped" : state.Error, product, state.InputSha256,
            Interlocked.Read(ref state.BytesRead), state.Durations(), state.Started, _options.Time.GetUtcNow(), state.TransientFailure);
        return [state];
    }

    /// <summary>Record: hands the outcome to the caller, then ends the scan's spans and counts it (so a trace or a
    /// metric never shows a scan whose outcome is not yet recorded).</summary>
    private void Record(ScanState state)
    {
        var outcome = state.Outcome!;
        var telemetry = state.Telemetry;
        telemetry?.Enter(PipelineStage.Record);
        var started = Stopwatch.GetTimestamp();
        Interlocked.Increment(ref _busy[(int)PipelineStage.Record]);
        try
        {
            _recordOutcome(outcome);
        }
        finally
        {
            Interlocked.Decrement(ref _busy[(int)PipelineStage.Record]);
            telemetry?.Leave(PipelineStage.Record);
            telemetry?.Finish(outcome, state.ErrorType);
        }

        _metrics?.ScanRecorded(outcome, Stopwatch.GetElapsedTime(started));
    }
}

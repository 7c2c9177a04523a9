using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Tasks.Dataflow;
using Scanflow.Engine.Formats;
using Scanflow.Engine.Ledger;
using Scanflow.Engine.Model;
using Scanflow.Engine.Planning;
using Scanflow.Engine.Processing;
using Scanflow.Engine.Quality;
using Scanflow.Engine.Science;

namespace Scanflow.Blocks;

/// <summary>
/// The bounded Dataflow graph Load → Calibrate → Atmosphere → Prepare → Write → Record, the executor that runs scans
/// in this process. Scans enter whole and flow as chunks of ON counts (<see cref="CountsBlock"/>); every block is
/// bounded and chunk buffers are bounded by the memory limit, so memory depends on the options and the scans' shape,
/// not on their length. Every block body turns exceptions into the scan's failure; only a bug in the plumbing
/// faults the graph, which then faults every block (nothing waits forever on a dead neighbour) and
/// <see cref="Completion"/> fails once no block body runs any more. Instrumented per stage: spans when a listener
/// subscribes to <see cref="PipelineTelemetry.ActivitySourceName"/>, metrics when the options carry them.
/// </summary>
internal sealed class CalibrationGraph : IScanExecutor
{
    private readonly PipelineOptions _options;
    private readonly CalibrationCache _calibrations;
    private readonly ChunkBufferPool _buffers;
    private readonly CancellationTokenSource _cancel;
    private readonly CancellationTokenSource _faulted = new();
    private readonly ConcurrentDictionary<Band, double> _lastGoodPwv = new();
    private readonly ConcurrentDictionary<ScanState, byte> _live = new();
    private readonly int[] _busy = new int[PipelineStages.All.Count];
    private readonly IDataflowBlock[] _blocks = new IDataflowBlock[PipelineStages.All.Count];
    private readonly Func<int>[] _queued = new Func<int>[PipelineStages.All.Count];
    private readonly ActionBlock<ScanJob> _load;
    private readonly TransformBlock<ChunkEnvelope, ChunkEnvelope> _calibrate;
    private readonly Action<ScanOutcome> _report;
    private readonly PipelineMetrics? _metrics;
    private long _bytesRead;

    /// <param name="options">Stages, output directory, calibration settings, clock and metrics; validated here.</param>
    /// <param name="report">Receives each scan's outcome in the Record stage, exactly once per submitted scan.</param>
    public CalibrationGraph(PipelineOptions options, Action<ScanOutcome> report)
    {
        if (options.Validate() is { } problem)
        {
            throw new ArgumentException(problem, nameof(options));
        }

        _options = options;
        _report = report;
        _metrics = options.Metrics;
        _cancel = new CancellationTokenSource(Timeout.InfiniteTimeSpan, options.Time);
        _calibrations = new CalibrationCache(options.Calibration, options.MemoryLimitBytes / 4);
        _buffers = new ChunkBufferPool(options.ChunkBuffers);
        _load = new ActionBlock<ScanJob>(LoadAsync, Settings(PipelineStage.Load));
        _calibrate = Transform(PipelineStage.Calibrate, Calibrate);
        var atmosphere = Transform(PipelineStage.Atmosphere, Atmosphere);
        var prepare = Transform(PipelineStage.Prepare, Prepare);
        var write = new TransformManyBlock<ChunkEnvelope, ChunkEnvelope>(Write, Settings(PipelineStage.Write));
        var record = new ActionBlock<ChunkEnvelope>(Record, Settings(PipelineStage.Record));
        Add(PipelineStage.Load, _load, () => _load.InputCount);
        Add(PipelineStage.Calibrate, _calibrate, () => _calibrate.InputCount);
        Add(PipelineStage.Atmosphere, atmosphere, () => atmosphere.InputCount);
        Add(PipelineStage.Prepare, prepare, () => prepare.InputCount);
        Add(PipelineStage.Write, write, () => write.InputCount);
        Add(PipelineStage.Record, record, () => record.InputCount);

        var link = new DataflowLinkOptions { PropagateCompletion = true };
        _calibrate.LinkTo(atmosphere, link);
        atmosphere.LinkTo(prepare, link);
        prepare.LinkTo(write, link);
        write.LinkTo(record, link);

        // Load is not linked (it sends chunks itself), so its completion is handed on by hand.
        _load.Completion.ContinueWith(
            t => _calibrate.Complete(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion | TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        foreach (var block in _blocks)
        {
            block.Completion.ContinueWith(
                t => FaultAll(t.Exception!), CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        Completion = CompleteAsync();
        _metrics?.Attach(this);
    }

    public Task Completion { get; }

    public long BytesRead => Interlocked.Read(ref _bytesRead);

    public Task<bool> SubmitAsync(ScanJob job, CancellationToken cancellationToken) => _load.SendAsync(job, cancellationToken);

    public void Complete() => _load.Complete();

    public void CancelInFlightAfter(TimeSpan grace)
    {
        if (grace <= TimeSpan.Zero)
        {
            _cancel.Cancel();
        }
        else
        {
            _cancel.CancelAfter(grace);
        }
    }

    public IReadOnlyList<StageActivity> Activity() =>
        [.. PipelineStages.All.Select(s => new StageActivity(s, _queued[(int)s](), Volatile.Read(ref _busy[(int)s])))];

    public void Dispose()
    {
        _metrics?.Detach(this);
        _cancel.Dispose();
        _faulted.Dispose();
        _buffers.Dispose();
    }

    private ExecutionDataflowBlockOptions Settings(PipelineStage stage) => new()
    {
        MaxDegreeOfParallelism = _options.Stage(stage).MaxDegreeOfParallelism,
        BoundedCapacity = _options.Stage(stage).BoundedCapacity,
        EnsureOrdered = true,
    };

    private TransformBlock<ChunkEnvelope, ChunkEnvelope> Transform(PipelineStage stage, Action<ChunkEnvelope> work) =>
        new(c => Stage(stage, c, work), Settings(stage));

    private void Add(PipelineStage stage, IDataflowBlock block, Func<int> queued)
    {
        _blocks[(int)stage] = block;
        _queued[(int)stage] = queued;
    }

    /// <summary>Completes once every block has: after a plumbing fault, no body still runs when the scans left open
    /// are abandoned, so none can create a temporary file after its scan was released.</summary>
    private async Task CompleteAsync()
    {
        try
        {
            await Task.WhenAll(_blocks.Select(b => b.Completion)).ConfigureAwait(false);
        }
        finally
        {
            foreach (var state in _live.Keys)
            {
                state.Release();
            }
        }
    }

    private void FaultAll(Exception error)
    {
        _faulted.Cancel();
        foreach (var block in _blocks)
        {
            block.Fault(error);
        }
    }

    /// <summary>Load: opens the scan, reads its calibration once, then reads ON chunks and sends them on, waiting when
    /// the next stage is full. Always ends a scan with one envelope marked last.</summary>
    private async Task LoadAsync(ScanJob job)
    {
        var plan = job.Scan;
        var state = new ScanState(job, _options.Time.GetUtcNow()) { Telemetry = ScanTelemetry.Start(plan) };
        _live.TryAdd(state, 0);
        try
        {
            if (_cancel.IsCancellationRequested)
            {
                state.Cancel();
            }

            Run(PipelineStage.Load, state, () =>
            {
                _calibrations.Read(plan.Calibration.FilePath, job.CalibrationSha256[0]);
                if (plan.LaterCalibration is { } later)
                {
                    // Read ahead like C₁; a C₂ that cannot be used is the Atmosphere stage's to note, not a failure here.
                    Later(() => _calibrations.Read(later.FilePath, job.CalibrationSha256[1]));
                }

                state.Work = ScienceScanCalibration.Open(plan.Science.FilePath, job.InputSha256, _options.OutputDirectory, _options.Calibration, state.Started);
            });

            if (!state.Stopped && await SendChunksAsync(state))
            {
                return;
            }

            await SendAsync(new ChunkEnvelope(state, default, null, isLast: true));
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
        var work = state.Work!;
        var header = work.Reader.Header;
        var length = work.BlockLength(_options.ChunkBytes);
        var blocks = work.Blocks(_options.ChunkBytes).ToList();
        foreach (var block in blocks)
        {
            if (_cancel.IsCancellationRequested)
            {
                state.Cancel();
                return false;
            }

            var buffer = await _buffers.RentAsync(length, _faulted.Token);
            Run(PipelineStage.Load, state, () => work.Read(block, buffer), block);
            if (state.Stopped)
            {
                _buffers.Return(buffer);
                return false;
            }

            long bytes = block.Length(header.Channels) * sizeof(float);
            Interlocked.Add(ref state.BytesRead, bytes);
            Interlocked.Add(ref _bytesRead, bytes);
            _metrics?.BytesRead(bytes);
            var chunk = new ChunkEnvelope(state, block, buffer, block == blocks[^1]);
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
            Run(stage, chunk.Scan, () => work(chunk), stage == PipelineStage.Prepare ? chunk.Block : null);
        }

        return chunk;
    }

    /// <summary>The scan's work in a stage, counted as busy only while it runs (not while waiting for queue space).
    /// Traced: the stage's span spans the scan's first to last work in the stage; work on a <paramref name="chunk"/>
    /// gets its own span under it.</summary>
    private void Run(PipelineStage stage, ScanState state, Action work, CountsBlock? chunk = null)
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
            span = chunk is { } block ? telemetry.StartChunk(stage, block) : null;
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
        if (chunk.IsFirst)
        {
            _calibrations.Loads(chunk.Scan.Scan.Calibration.FilePath);
            if (chunk.Scan.Scan.LaterCalibration is { } later)
            {
                Later(() => _calibrations.Loads(later.FilePath));
            }
        }
    }

    /// <summary>Atmosphere: the PWV fit (once per calibration scan) and the scan's calibration at its mean ON airmass;
    /// a failed fit falls back to the last good PWV of the band (§2.5).</summary>
    private void Atmosphere(ChunkEnvelope chunk)
    {
        if (!chunk.IsFirst)
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

        var context = state.Work!.Apply(products, _lastGoodPwv.TryGetValue(band, out var last) ? last : null, Second(state.Scan));
        _metrics?.CalibrationApplied(band, context);
    }

    /// <summary>With linear gain interpolation (§7.10): C₂ fitted, or why the scan is calibrated with C₁ alone (none in
    /// the plan, or C₂ cannot be read or solved); null without interpolation.</summary>
    private SecondCalibration? Second(PlannedScan scan)
    {
        if (_options.Calibration.GainInterpolation == GainInterpolation.None)
        {
            return null;
        }

        if (scan.LaterCalibration is not { } later)
        {
            return new SecondCalibration(null, scan.GainInterpolationNote);
        }

        try
        {
            return new SecondCalibration(_calibrations.Products(later.FilePath), null);
        }
        catch (Exception e) when (UnusableCalibration(e))
        {
            var reason = e is ScanFormatException format ? format.Message : e.Message;
            return new SecondCalibration(null, $"the later calibration scan {later.ScanId} cannot be used ({reason}); calibrated with scan {scan.Calibration.ScanId} alone");
        }
    }

    /// <summary>Runs work on C₂ ahead of its use; what goes wrong is kept by the cache and noted when C₂ is used.</summary>
    private static void Later(Action work)
    {
        try
        {
            work();
        }
        catch (Exception e) when (UnusableCalibration(e))
        {
            // Rethrown by the cache in Atmosphere, where it becomes the product's gain_interpolation_note.
        }
    }

    private static bool UnusableCalibration(Exception e) =>
        e is ScanFormatException or CalibrationException or IOException or UnauthorizedAccessException;

    /// <summary>Prepare: OFF interpolation and T_A* for the chunk, in place (§1.6, §7.2, §7.3).</summary>
    private static void Prepare(ChunkEnvelope chunk) => chunk.Scan.Work!.Calibrate(chunk.Block, chunk.Buffer);

    /// <summary>Write: appends the chunk to the scan's L1 file; after the last chunk closes the file and lets the scan's
    /// arrays go, then hands the scan on, so its fsync and checksum in Record overlap the next scan's appends.</summary>
    private IEnumerable<ChunkEnvelope> Write(ChunkEnvelope chunk)
    {
        var state = chunk.Scan;
        if (chunk.Buffer is not null)
        {
            Run(PipelineStage.Write, state, () => state.Work!.Write(chunk.Block, chunk.Buffer), chunk.Block);
        }

        _buffers.Return(chunk.Buffer);
        chunk.Buffer = null;
        if (!chunk.IsLast)
        {
            chunk.Written.SetResult();
            return [];
        }

        Run(PipelineStage.Write, state, () => state.Work!.Close());
        LargeArrays.Released(state.Scan.Science.Pixels, state.Scan.Science.Channels);

        return [chunk];
    }

    /// <summary>Record: commits the scan's product (fsync, rename, SHA-256; counted as Write's work) or abandons it, hands
    /// the outcome to the caller, then ends the scan's spans and counts it (so a trace or a metric never shows a scan
    /// whose outcome is not yet recorded).</summary>
    private void Record(ChunkEnvelope last)
    {
        var state = last.Scan;
        L1Product? product = null;
        string? plotData = null;
        List<string> qualityWarnings = [];
        Run(PipelineStage.Write, state, () =>
        {
            // The plot data first: the L1 file is published last, so a published product always has what its plots
            // are drawn from (after it is recorded, by the runner) until they are drawn.
            if (state.Work!.Quality is { } quality)
            {
                try
                {
                    plotData = PlotDataFile.Publish(quality, state.Work.ProductPath);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // Costs the plots, never the product; a full disk fails the product's own write next.
                    qualityWarnings.Add($"no plots: their data could not be written ({e.Message})");
                }
            }

            product = state.Work.Commit();
        });
        var quality = product is not null ? state.Work!.Quality : null;
        IReadOnlyList<ProductFile> qualityProducts = product is not null ? state.Work!.QualityProducts : [];
        if (product is null && plotData is not null)
        {
            SidecarFile.Remove(plotData);
            plotData = null;
        }
        // Measured before the temporary file goes, so the sentence shows the space the write found.
        var diskFull = state.OutputDiskFull ? OutputDisk.Full(_options.OutputDirectory) : null;
        // The temporary file goes first: on a full disk that frees the space the ledger's record needs.
        state.Release();
        last.Written.SetResult();
        _live.TryRemove(state, out _);
        state.Outcome = new ScanOutcome
        {
            Scan = state.Scan,
            Status = product is not null ? ScanOutcomeStatus.Succeeded : state.Cancelled ? ScanOutcomeStatus.Cancelled : ScanOutcomeStatus.Failed,
            FailedStage = state.FailedStage,
            Error = state.Cancelled ? "cancelled: the run was stopped" : diskFull ?? state.Error,
            Product = product,
            QualityProducts = qualityProducts,
            QualityWarnings = qualityWarnings,
            PlotDataPath = plotData,
            Quality = plotData is not null ? quality : null,
            InputSha256 = state.Job.InputSha256,
            BytesRead = Interlocked.Read(ref state.BytesRead),
            StageDurations = state.Durations(),
            Started = state.Started,
            Finished = _options.Time.GetUtcNow(),
            TransientFailure = state.TransientFailure,
            OutputDiskFull = state.OutputDiskFull,
        };
        var outcome = state.Outcome!;
        var telemetry = state.Telemetry;
        telemetry?.Enter(PipelineStage.Record);
        var started = Stopwatch.GetTimestamp();
        Interlocked.Increment(ref _busy[(int)PipelineStage.Record]);
        try
        {
            _report(outcome);
        }
        finally
        {
            Interlocked.Decrement(ref _busy[(int)PipelineStage.Record]);
            telemetry?.Leave(PipelineStage.Record);
            telemetry?.Finish(outcome, state.ErrorType);
        }

        _metrics?.ScanRecorded(outcome, Stopwatch.GetElapsedTime(started));
        if (quality is not null)
        {
            _metrics?.QualityMeasured(quality);
        }
    }
}

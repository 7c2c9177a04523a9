using System.Collections.Concurrent;
using Prometheus;
using Scanflow.Engine.Model;
using Scanflow.Engine.Processing;
using Scanflow.Engine.Quality;
using Scanflow.Engine.Science;

namespace Scanflow.Blocks;

/// <summary>
/// The pipeline's Prometheus metrics in one registry (docs/architecture.md, "Metrics and traces"). Labels:
/// <c>stage</c> is the lower-case stage name (<c>load</c>, <c>calibrate</c>, <c>atmosphere</c>, <c>prepare</c>,
/// <c>write</c>, <c>record</c>); <c>band</c> is the lower-case band name as the file formats spell it
/// (<c>lfa</c>, <c>hfa</c>). Stage durations and items are observed once per scan when its outcome is recorded, not
/// per chunk; queue depth and in-flight work are sampled at scrape time, summed over the live graphs that report here.
/// The caller creates one per registry and hands it to its runs (no process-wide instance).
/// </summary>
public sealed class PipelineMetrics
{
    private static readonly IReadOnlyList<PipelineStage> Stages = PipelineStages.All;
    private static readonly Band[] Bands = Enum.GetValues<Band>();

    private readonly Histogram.Child[] _stageDuration;
    private readonly Counter.Child[,] _stageItems;
    private readonly Gauge.Child[] _queueDepth;
    private readonly Gauge.Child[] _inFlight;
    private readonly Counter.Child[,] _scans;
    private readonly Counter _bytesRead;
    private readonly Counter _bytesWritten;
    private readonly Gauge _lastSuccess;
    private readonly Gauge _pwv;
    private readonly Gauge _tsysMedian;
    private readonly Gauge _trxMedian;
    private readonly Gauge _slurmJobs;
    private readonly Histogram _slurmTaskDuration;
    private readonly Counter _slurmStatusCalls;
    private readonly Gauge _radiometerRatio;
    private readonly Gauge _flaggedChannels;
    // T_rx belongs to the calibration, so its median is computed once per solved calibration, not per science scan.
    private readonly ConcurrentDictionary<Band, (HotColdSolution Loads, double MedianK)> _trxByBand = new();
    private readonly ConcurrentDictionary<CalibrationGraph, byte> _graphs = new();

    /// <summary>Creates (or, for names already there, reuses) the metrics in <paramref name="registry"/> and samples
    /// the live graphs' queues before every collection.</summary>
    public PipelineMetrics(CollectorRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        Registry = registry;
        var factory = Metrics.WithCustomRegistry(registry);
        var duration = factory.CreateHistogram(
            "scanflow_stage_duration_seconds",
            "Time one scan spent working in a stage (summed over its chunks), observed when the scan's outcome is recorded.",
            ["stage"],
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.001, 2, 21) }); // 1 ms … ~17 min
        var items = factory.CreateCounter(
            "scanflow_stage_items_total",
            "Scans handled by a stage, by how the stage's work on them ended (succeeded, failed, cancelled).",
            ["stage", "outcome"]);
        var queue = factory.CreateGauge("scanflow_stage_queue_depth", "Items (scans for load, chunks after it) waiting in a stage's input queue, sampled at scrape time.", ["stage"]);
        var inFlight = factory.CreateGauge("scanflow_stage_in_flight", "Items a stage is working on right now, sampled at scrape time.", ["stage"]);
        var scans = factory.CreateCounter(
            "scanflow_scans_total",
            "Science scans by band and outcome (succeeded, failed, cancelled, skipped); a retried transient failure counts once per attempt.",
            ["band", "outcome"]);
        _bytesRead = factory.CreateCounter("scanflow_bytes_read_total", "Bytes of ON counts read from raw science files.");
        _bytesWritten = factory.CreateCounter("scanflow_bytes_written_total", "Bytes of L1 products committed.");
        _lastSuccess = factory.CreateGauge("scanflow_last_success_timestamp_seconds", "Unix time at which the last scan succeeded; 0 until one has.");
        _radiometerRatio = factory.CreateGauge(
            "scanflow_radiometer_ratio", "Radiometer ratio (measured T_A* noise over the predicted) of the worst pixel of the latest calibrated scan of the band; about 1 when healthy.", ["band"]);
        _flaggedChannels = factory.CreateGauge(
            "scanflow_flagged_channel_fraction", "Fraction of the pixel × channel cells with any channel_flag bit in the latest calibrated scan of the band.", ["band"]);
        _pwv = factory.CreateGauge("scanflow_pwv_mm", "Precipitable water vapour used by the latest calibrated scan of the band [mm].", ["band"]);
        _tsysMedian = factory.CreateGauge(
            "scanflow_tsys_median_kelvin", "Median SSB T_sys over the good channels of all pixels, for the latest calibrated scan of the band [K].", ["band"]);
        _trxMedian = factory.CreateGauge(
            "scanflow_trx_median_kelvin", "Median DSB T_rx over the good channels of all pixels, of the latest calibration used in the band [K].", ["band"]);

        _slurmJobs = factory.CreateGauge(
            "scanflow_slurm_jobs", "Array tasks of this coordinator's SLURM jobs still owing scans, by the state its last squeue poll saw (lower case; gone: no longer listed).", ["state"]);
        _slurmTaskDuration = factory.CreateHistogram(
            "scanflow_slurm_task_duration_seconds",
            "Wall time of a SLURM array task, as it reported with its last scan's result, observed when that result is collected.",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(1, 2, 16) }); // 1 s … ~9 h
        _slurmStatusCalls = factory.CreateCounter("scanflow_slurm_status_calls_total", "squeue calls made to follow this coordinator's SLURM jobs (one per poll).");

        // Series known in advance exist from the first scrape, so rates and alerts see a 0 rather than nothing.
        _stageDuration = [.. Stages.Select(s => duration.WithLabels(PipelineStages.Name(s)))];
        _queueDepth = [.. Stages.Select(s => queue.WithLabels(PipelineStages.Name(s)))];
        _inFlight = [.. Stages.Select(s => inFlight.WithLabels(PipelineStages.Name(s)))];
        _stageItems = new Counter.Child[Stages.Count, 3];
        foreach (var stage in Stages)
        {
            foreach (var outcome in new[] { ScanOutcomeStatus.Succeeded, ScanOutcomeStatus.Failed, ScanOutcomeStatus.Cancelled })
            {
                _stageItems[(int)stage, (int)outcome] = items.WithLabels(PipelineStages.Name(stage), Label(outcome));
            }
        }

        var statuses = Enum.GetValues<ScanOutcomeStatus>();
        _scans = new Counter.Child[Bands.Length, statuses.Length];
        foreach (var band in Bands)
        {
            foreach (var status in statuses)
            {
                _scans[(int)band, (int)status] = scans.WithLabels(Label(band), Label(status));
            }
        }

        registry.AddBeforeCollectCallback(SampleActivity);
    }

    /// <summary>The registry the metrics live in.</summary>
    public CollectorRegistry Registry { get; }

    internal static string Label(Band band) => ModelNames.Of(band).ToLowerInvariant();

    internal static string Label(ScanOutcomeStatus status) => status switch
    {
        ScanOutcomeStatus.Succeeded => "succeeded",
        ScanOutcomeStatus.Failed => "failed",
        ScanOutcomeStatus.Cancelled => "cancelled",
        ScanOutcomeStatus.Skipped => "skipped",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    /// <summary>A graph whose queues the scrapes sample, until it is detached.</summary>
    internal void Attach(CalibrationGraph graph) => _graphs.TryAdd(graph, 0);

    internal void Detach(CalibrationGraph graph) => _graphs.TryRemove(graph, out _);

    internal void BytesRead(long bytes) => _bytesRead.Inc(bytes);

    /// <summary>A scan's outcome from the graph: per-stage durations and items, then the scan itself.</summary>
    internal void ScanRecorded(ScanOutcome outcome, TimeSpan recordDuration)
    {
        foreach (var (stage, duration) in outcome.StageDurations)
        {
            _stageDuration[(int)stage].Observe(duration.TotalSeconds);
        }

        _stageDuration[(int)PipelineStage.Record].Observe(recordDuration.TotalSeconds);
        CountStageItems(outcome);
        ScanConcluded(outcome);
    }

    /// <summary>A scan's outcome from a SLURM task's result file: its stages' durations and items, then the scan itself.</summary>
    internal void SlurmScanCollected(ScanOutcome outcome)
    {
        foreach (var (stage, duration) in outcome.StageDurations)
        {
            _stageDuration[(int)stage].Observe(duration.TotalSeconds);
        }

        _bytesRead.Inc(outcome.BytesRead);
        CountStageItems(outcome);
        ScanConcluded(outcome);
    }

    /// <summary>An squeue call, made or failed.</summary>
    internal void SlurmStatusCall() => _slurmStatusCalls.Inc();

    /// <summary>What one squeue poll saw: the array tasks still owing scans, by state.</summary>
    internal void SlurmPolled(IReadOnlyDictionary<string, int> tasksByState)
    {
        foreach (var state in _slurmJobs.GetAllLabelValues().Select(l => l[0]).Except(tasksByState.Keys).ToList())
        {
            _slurmJobs.WithLabels(state).Set(0);
        }

        foreach (var (state, count) in tasksByState)
        {
            _slurmJobs.WithLabels(state).Set(count);
        }
    }

    /// <summary>A SLURM array task that owes no more scans, and how long it ran.</summary>
    internal void SlurmTaskEnded(double seconds) => _slurmTaskDuration.Observe(seconds);

    /// <summary>A scan's outcome: counted by band and outcome; a success also counts its product and its time.</summary>
    internal void ScanConcluded(ScanOutcome outcome)
    {
        _scans[(int)outcome.Scan.Science.Band, (int)outcome.Status].Inc();
        if (outcome.Status == ScanOutcomeStatus.Succeeded)
        {
            if (outcome.Product is { } product)
            {
                _bytesWritten.Inc(product.Bytes);
            }

            _lastSuccess.Set(outcome.Finished.ToUnixTimeMilliseconds() / 1000.0);
        }
    }

    /// <summary>Atmosphere stage: the PWV, T_sys and T_rx of the calibration a science scan of <paramref name="band"/>
    /// is about to use.</summary>
    internal void CalibrationApplied(Band band, ScienceScanContext context)
    {
        var label = Label(band);
        var solution = context.Solution;
        _pwv.WithLabels(label).Set(solution.PwvMm);
        _tsysMedian.WithLabels(label).Set(GoodChannelMedian.Of(solution.SystemTemperatureK, solution.Flags));
        var loads = context.Calibration.Loads;
        var trx = _trxByBand.AddOrUpdate(
            band,
            _ => (loads, GoodChannelMedian.Of(loads.ReceiverTemperatureK, loads.Flags)),
            (_, known) => ReferenceEquals(known.Loads, loads) ? known : (loads, GoodChannelMedian.Of(loads.ReceiverTemperatureK, loads.Flags)));
        _trxMedian.WithLabels(label).Set(trx.MedianK);
    }

    /// <summary>Record stage: the QA of a scan that succeeded (docs/formats.md, <c>qa.json</c>).</summary>
    internal void QualityMeasured(ScanQuality quality)
    {
        var label = Label(quality.Band);
        _radiometerRatio.WithLabels(label).Set(quality.WorstRadiometerRatio);
        _flaggedChannels.WithLabels(label).Set(quality.ChannelFractionFlagged);
    }

    // Each stage before the one that stopped the scan succeeded; the failing stage failed. A cancelled scan counts as
    // cancelled in every stage it reached (its work there was cut short or thrown away). Record always did its part.
    private void CountStageItems(ScanOutcome outcome)
    {
        foreach (var stage in Stages)
        {
            if (stage == PipelineStage.Record)
            {
                _stageItems[(int)stage, (int)ScanOutcomeStatus.Succeeded].Inc();
                continue;
            }

            var status = outcome.Status switch
            {
                ScanOutcomeStatus.Succeeded => ScanOutcomeStatus.Succeeded,
                ScanOutcomeStatus.Failed when outcome.FailedStage is { } failed && stage < failed => ScanOutcomeStatus.Succeeded,
                ScanOutcomeStatus.Failed when outcome.FailedStage == stage => ScanOutcomeStatus.Failed,
                ScanOutcomeStatus.Cancelled when stage == PipelineStage.Load || outcome.StageDurations.ContainsKey(stage) => ScanOutcomeStatus.Cancelled,
                _ => (ScanOutcomeStatus?)null,
            };
            if (status is { } counted)
            {
                _stageItems[(int)stage, (int)counted].Inc();
            }
        }
    }

    private void SampleActivity()
    {
        var queued = new int[Stages.Count];
        var busy = new int[Stages.Count];
        foreach (var graph in _graphs.Keys)
        {
            foreach (var activity in graph.Activity())
            {
                queued[(int)activity.Stage] += activity.Queued;
                busy[(int)activity.Stage] += activity.Busy;
            }
        }

        foreach (var stage in Stages)
        {
            _queueDepth[(int)stage].Set(queued[(int)stage]);
            _inFlight[(int)stage].Set(busy[(int)stage]);
        }
    }
}

using Prometheus;

namespace Scanflow.Host;

/// <summary>What the ingestion service publishes about itself while it runs: its backlog, waiting scans, free space and
/// paused intake as gauges on the default registry, and the pipeline whose fault (or the pause) makes it not ready.</summary>
internal sealed class IngestionStatus
{
    private readonly Gauge _backlog = Metrics.CreateGauge(
        "scanflow_ingest_backlog_files", "Files seen in the drop directory and not yet handed to the pipeline (settling or queued).");

    private readonly Gauge _waiting = Metrics.CreateGauge(
        "scanflow_waiting_scans", "Science scans WAITING for a calibration scan (or, with gain interpolation, for the later one).");

    private readonly Gauge _paused = Metrics.CreateGauge(
        "scanflow_intake_paused", "1 while intake is paused because the output disk is (nearly) full, else 0.");

    private readonly Gauge _free = Metrics.CreateGauge(
        "scanflow_output_free_bytes", "Bytes free on the file system of the output directory.");

    private readonly Gauge _floor = Metrics.CreateGauge(
        "scanflow_output_free_floor_bytes", "Intake pauses while the output disk has less free than this (Scanflow:MinFreeSpaceMb).");

    private volatile Task? _pipeline;
    private volatile string? _pausedReason;

    /// <summary>The pipeline's completion once ingestion has started it; null before.</summary>
    public Task? Pipeline => _pipeline;

    public void Started(Task pipelineCompletion) => _pipeline = pipelineCompletion;

    /// <summary>Why intake is paused; null while scans are taken.</summary>
    public string? Paused => _pausedReason;

    /// <summary>Intake paused (a reason) or resumed (null).</summary>
    public void Pause(string? reason)
    {
        _pausedReason = reason;
        _paused.Set(reason is null ? 0 : 1);
    }

    /// <summary>Free space on the output disk (when it can be told) and the floor below which intake pauses.</summary>
    public void Space(long? freeBytes, long floorBytes)
    {
        if (freeBytes is { } free)
        {
            _free.Set(free);
        }

        _floor.Set(floorBytes);
    }

    /// <summary>Called from the ingestion loop, the only owner of the counts (they are not thread-safe to read).</summary>
    public void Observe(int backlogFiles, int waitingScans)
    {
        _backlog.Set(backlogFiles);
        _waiting.Set(waitingScans);
    }
}

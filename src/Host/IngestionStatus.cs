using Prometheus;

namespace Scanflow.Host;

/// <summary>What the ingestion service publishes about itself while it runs: its backlog and waiting scans as gauges
/// on the default registry, and the pipeline whose fault makes the service not ready.</summary>
internal sealed class IngestionStatus
{
    private readonly Gauge _backlog = Metrics.CreateGauge(
        "scanflow_ingest_backlog_files", "Files seen in the drop directory and not yet handed to the pipeline (settling or queued).");

    private readonly Gauge _waiting = Metrics.CreateGauge(
        "scanflow_waiting_scans", "Science scans WAITING for a calibration scan.");

    private volatile Task? _pipeline;

    /// <summary>The pipeline's completion once ingestion has started it; null before.</summary>
    public Task? Pipeline => _pipeline;

    public void Started(Task pipelineCompletion) => _pipeline = pipelineCompletion;

    /// <summary>Called from the ingestion loop, the only owner of the counts (they are not thread-safe to read).</summary>
    public void Observe(int backlogFiles, int waitingScans)
    {
        _backlog.Set(backlogFiles);
        _waiting.Set(waitingScans);
    }
}

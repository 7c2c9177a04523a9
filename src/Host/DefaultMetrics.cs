using Prometheus;

namespace Scanflow.Host;

/// <summary>Which of prometheus-net's own metrics the default registry carries; decided before its first collection.</summary>
internal static class DefaultMetrics
{
    /// <summary><c>scanflow run</c>: process_* and dotnet_* stay; the event-counter and Meter adapters go, as their
    /// names (…_count gauges, a _total gauge) fail promtool's lint and Kestrel's meters are not ours to publish.</summary>
    public static void ForService() =>
        Metrics.SuppressDefaultMetrics(new SuppressDefaultMetricOptions { SuppressEventCounters = true, SuppressMeters = true });

    /// <summary><c>scanflow calibrate --metrics-file</c>: only Scanflow's metrics. node-exporter publishes its own
    /// process_* (a textfile carrying them breaks its scrape), and a finished batch process has nothing to say.</summary>
    public static void ForTextfile() => Metrics.SuppressDefaultMetrics();
}

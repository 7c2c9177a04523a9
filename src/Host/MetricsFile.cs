using Prometheus;

namespace Scanflow.Host;

/// <summary><c>scanflow calibrate --metrics-file PATH</c>: the default registry in the Prometheus text format, for
/// node-exporter's textfile collector. Written as PATH.tmp and renamed, so a scrape never reads half a file (the
/// collector reads only <c>*.prom</c>).</summary>
internal static class MetricsFile
{
    public static async Task WriteAsync(string path)
    {
        var temporary = path + ".tmp";
        await using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            await Metrics.DefaultRegistry.CollectAndExportAsTextAsync(stream);
        }

        File.Move(temporary, path, overwrite: true);
    }
}

using System.Diagnostics;
using System.Globalization;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Prometheus;
using Scanflow.Blocks;
using Scanflow.Engine.Planning;
using Scanflow.Engine.Processing;
using Scanflow.Engine.Science;

namespace Scanflow.Perf;

/// <summary>
/// <c>Scanflow.Perf endtoend --observability</c>: the same store through the graph with the same options, with metrics
/// (a custom registry, scraped every second as Prometheus would) and tracing (a tracer provider subscribed to the
/// pipeline's source, batch processor, an exporter that discards) both on, against both off; the two alternate and
/// swap order every round. Reports the medians of the per-round ratios of wall time and of the process's CPU time
/// (user + system, all threads): on a shared machine whose disk speed drifts, the CPU time resolves a few percent
/// that the wall time cannot. Then times the instrumentation's own work for one scan in isolation (its spans, and the
/// T_sys median of the science gauges), a bound that does not drown in the machine's noise.
/// </summary>
internal static class ObservabilityOverhead
{
    public const string Off = "graph, metrics and tracing off";
    public const string On = "graph, metrics and tracing on";

    private static readonly TimeSpan ScrapeInterval = TimeSpan.FromSeconds(1);

    public static int Run(StorePlan plan, PipelineOptions options, int rounds)
    {
        var rawBytes = plan.Scans.Select(s => s.Science.FilePath).Concat(plan.Scans.Select(s => s.Calibration.FilePath).Distinct()).Sum(f => new FileInfo(f).Length);
        var metrics = new PipelineMetrics(Metrics.NewCustomRegistry());
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Observability overhead: {plan.Scans.Count} science scans, {rawBytes / 1e6:F0} MB of raw files, chunk {options.ChunkBytes >> 20} MiB, default stages"));
        Console.WriteLine($"{rounds} rounds after one warm-up round; the order of the two variants swaps each round.");

        var ratios = new List<double>();
        var cpuRatios = new List<double>();
        var times = new Dictionary<string, List<double>> { [Off] = [], [On] = [] };
        var cpuTimes = new Dictionary<string, List<double>> { [Off] = [], [On] = [] };
        for (var round = 0; round <= rounds; round++)
        {
            var elapsed = new Dictionary<string, TimeSpan>();
            var cpu = new Dictionary<string, TimeSpan>();
            foreach (var variant in round % 2 == 0 ? new[] { Off, On } : [On, Off])
            {
                EndToEndBenchmark.Wipe(options.OutputDirectory);
                Directory.CreateDirectory(options.OutputDirectory);
                var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
                var (m, spans) = variant == On ? RunObserved(plan, options, metrics) : (EndToEndBenchmark.RunGraph(Off, options, plan), 0L);
                cpu[variant] = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
                EndToEndBenchmark.Wipe(options.OutputDirectory);
                elapsed[variant] = m.Elapsed;
                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"round {round}{(round == 0 ? " (warm-up)" : "")}: {variant,-32} {m.Elapsed.TotalSeconds,6:F2} s {rawBytes / 1e6 / m.Elapsed.TotalSeconds,5:F0} MB/s  CPU {cpu[variant].TotalSeconds,6:F2} s{(variant == On ? $"  ({spans} spans exported)" : "")}"));
            }

            if (round > 0)
            {
                ratios.Add(elapsed[On] / elapsed[Off]);
                cpuRatios.Add(cpu[On] / cpu[Off]);
                times[Off].Add(elapsed[Off].TotalSeconds);
                times[On].Add(elapsed[On].TotalSeconds);
                cpuTimes[Off].Add(cpu[Off].TotalSeconds);
                cpuTimes[On].Add(cpu[On].TotalSeconds);
            }
        }

        Console.WriteLine();
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"median wall time: off {Median(times[Off]):F2} s, on {Median(times[On]):F2} s; median CPU time: off {Median(cpuTimes[Off]):F2} s, on {Median(cpuTimes[On]):F2} s"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"on / off wall time: median {Median(ratios):F3} (rounds {Join(ratios)}); goal < 1.03"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"on / off CPU time:  median {Median(cpuRatios):F3} (rounds {Join(cpuRatios)}); goal < 1.03"));

        var perScan = InstrumentationPerScan(plan, options);
        var cpuPerScan = Median(cpuTimes[Off]) / plan.Scans.Count;
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"instrumentation alone, per scan: {perScan.TotalMilliseconds:F2} ms (spans + T_sys median) = {perScan.TotalSeconds / cpuPerScan:P2} of the {cpuPerScan:F3} s CPU a scan costs with both off"));
        return 0;
    }

    /// <summary>The CPU-side work the instrumentation adds to one scan of the plan, timed alone: the scan's spans
    /// (root, six stages, a chunk span per chunk in load, prepare and write) exported to a discarding exporter, and the
    /// median over pixels × channels T_sys values set in Atmosphere. The T_rx median is once per calibration.</summary>
    private static TimeSpan InstrumentationPerScan(StorePlan plan, PipelineOptions options)
    {
        const int Iterations = 200;
        var scan = plan.Scans[0];
        var header = scan.Science;
        var chunks = ScanChunking.Blocks(header, options.ChunkBytes).ToList();
        var outcome = new ScanOutcome
        {
            Scan = scan,
            Status = ScanOutcomeStatus.Succeeded,
            BytesRead = header.OnDumps * header.DumpBytes,
            Started = DateTimeOffset.UnixEpoch,
            Finished = DateTimeOffset.UnixEpoch,
        };
        var random = new Random(1);
        var tsys = Enumerable.Range(0, header.Pixels * header.Channels).Select(_ => 200 + (100 * random.NextDouble())).ToArray();
        var flags = new ChannelFlags[tsys.Length];

        var exporter = new DiscardingExporter();
        using var tracing = Sdk.CreateTracerProviderBuilder().AddSource(PipelineTelemetry.ActivitySourceName).AddProcessor(new BatchActivityExportProcessor(exporter)).Build();
        var watch = new Stopwatch();
        for (var i = 0; i <= Iterations; i++)
        {
            // The first iteration warms up the JIT and is not counted.
            if (i == 1)
            {
                watch.Restart();
            }

            var telemetry = ScanTelemetry.Start(scan)!;
            foreach (var stage in PipelineStages.All)
            {
                telemetry.Enter(stage);
                if (stage is PipelineStage.Load or PipelineStage.Prepare or PipelineStage.Write)
                {
                    foreach (var chunk in chunks)
                    {
                        ScanTelemetry.Stop(telemetry.StartChunk(stage, chunk));
                        telemetry.Leave(stage);
                    }
                }

                telemetry.Leave(stage);
            }

            telemetry.Finish(outcome, null);
            _ = GoodChannelMedian.Of(tsys, flags);
        }

        return watch.Elapsed / Iterations;
    }

    private static (EndToEndMeasurement Measurement, long Spans) RunObserved(StorePlan plan, PipelineOptions options, PipelineMetrics metrics)
    {
        var exporter = new DiscardingExporter();
        var scrape = Stopwatch.StartNew();
        EndToEndMeasurement measurement;
        using (Sdk.CreateTracerProviderBuilder().AddSource(PipelineTelemetry.ActivitySourceName).AddProcessor(new BatchActivityExportProcessor(exporter)).Build())
        {
            measurement = EndToEndBenchmark.RunGraph(On, options with { Metrics = metrics }, plan, _ =>
            {
                if (scrape.Elapsed >= ScrapeInterval)
                {
                    metrics.Registry.CollectAndExportAsTextAsync(Stream.Null).GetAwaiter().GetResult();
                    scrape.Restart();
                }
            });
        }

        return (measurement, exporter.Spans);
    }

    private static string Join(IEnumerable<double> values) => string.Join(", ", values.Select(r => r.ToString("F3", CultureInfo.InvariantCulture)));

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}

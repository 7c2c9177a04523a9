using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Scanflow.Engine.Formats;
using Scanflow.Engine.Model;
using Scanflow.Engine.Simulation;

namespace Scanflow.Blocks.Tests;

/// <summary>Spans exported through OpenTelemetry's in-memory exporter. Listeners are process-wide and other tests run
/// graphs in parallel, so each test keeps only the traces of its own scan ids (unique to this class).</summary>
public class PipelineTracingTests
{
    private static readonly string[] StageSpans = ["load", "calibrate", "atmosphere", "prepare", "write", "record"];

    private static SimulationOptions Store(long firstId, int scans = 2, Band band = Band.Lfa) => new()
    {
        OutputDirectory = "set-by-GraphRun",
        Band = band,
        Scans = scans,
        FirstScanId = firstId,
        Pixels = 3,
        Channels = 128,
        OnDumps = 40,
        OffDumps = 5,
        Noise = false,
    };

    [Fact]
    public async Task Each_scan_is_one_trace_with_one_span_per_stage_and_chunk_spans_under_load_prepare_and_write()
    {
        using var run = new GraphRun(Store(firstId: 9101), Store(firstId: 9201, scans: 1, band: Band.Hfa));
        var dumpBytes = run.Scans[0].Science.DumpBytes;
        var spans = new List<Activity>();

        // An ambient activity must not become the scans' parent: each scan's trace is its own.
        using (var outer = new Activity("test-outer").Start())
        using (Sdk.CreateTracerProviderBuilder().AddSource(PipelineTelemetry.ActivitySourceName).AddInMemoryExporter(spans).Build())
        {
            await run.RunAsync(run.Options(chunkBytes: 10 * dumpBytes).WithStage(PipelineStage.Prepare, new StageOptions(3, 6)));
            Assert.Same(outer, Activity.Current);
        }

        Assert.Equal(3, run.Outcomes.Count);
        foreach (var outcome in run.Outcomes)
        {
            Assert.Equal(ScanOutcomeStatus.Succeeded, outcome.Status);
            var (root, trace) = TraceOf(spans, outcome.Scan.Science.ScanId);
            Assert.Equal(default, root.ParentSpanId);
            Assert.Equal(ActivityKind.Internal, root.Kind);
            Assert.Equal(ActivityStatusCode.Unset, root.Status);
            Assert.Equal(PipelineMetrics.Label(outcome.Scan.Science.Band), root.GetTagItem("scan.band"));
            Assert.Equal(ModelNames.Of(outcome.Scan.Science.ObsMode!.Value), root.GetTagItem("scan.obs_mode"));
            Assert.Equal(outcome.Scan.Calibration.ScanId, root.GetTagItem("scan.calibration_id"));
            Assert.Equal(outcome.BytesRead, root.GetTagItem("scan.bytes"));
            Assert.Equal("succeeded", root.GetTagItem("scan.outcome"));

            var stages = trace.Where(s => s.ParentSpanId == root.SpanId).ToList();
            Assert.Equal(StageSpans.Order(), stages.Select(s => s.OperationName).Order());
            Assert.All(stages, s => Assert.InRange(s.StartTimeUtc, root.StartTimeUtc, root.StartTimeUtc + root.Duration));
            Assert.All(stages, s => Assert.True(s.StartTimeUtc + s.Duration <= root.StartTimeUtc + root.Duration, $"{s.OperationName} ends after its scan"));

            // 40 dumps in chunks of 10: four chunk spans under each of the per-chunk stages, none elsewhere.
            foreach (var stage in stages)
            {
                var chunks = trace.Where(s => s.ParentSpanId == stage.SpanId).ToList();
                Assert.All(chunks, c => Assert.Equal("chunk", c.OperationName));
                var expected = stage.OperationName is "load" or "prepare" or "write" ? new[] { 0, 10, 20, 30 } : [];
                Assert.Equal(expected, chunks.Select(c => (int)c.GetTagItem("chunk.first_dump")!).Order());
                Assert.All(chunks, c => Assert.Equal(10, c.GetTagItem("chunk.dumps")));
            }

            Assert.Equal(1 + StageSpans.Length + (3 * 4), trace.Count);
        }
    }

    [Fact]
    public async Task A_scan_that_fails_marks_its_root_and_the_failing_stage_span_as_errors()
    {
        using var run = new GraphRun(Store(firstId: 9301, scans: 2));
        var broken = run.Scans[1].Science.FilePath;
        using (var stream = new FileStream(broken, FileMode.Open))
        {
            stream.SetLength(stream.Length / 2);
        }

        var spans = new List<Activity>();
        using (Sdk.CreateTracerProviderBuilder().AddSource(PipelineTelemetry.ActivitySourceName).AddInMemoryExporter(spans).Build())
        {
            await run.RunAsync(run.Options());
        }

        var failed = Assert.Single(run.Outcomes, o => o.Status == ScanOutcomeStatus.Failed);
        var (root, trace) = TraceOf(spans, failed.Scan.Science.ScanId);
        var failedStage = PipelineStages.Name(failed.FailedStage!.Value);
        Assert.Equal(ActivityStatusCode.Error, root.Status);
        Assert.Contains(broken, root.StatusDescription, StringComparison.Ordinal);
        Assert.Equal(typeof(ScanFormatException).FullName, root.GetTagItem("error.type"));
        Assert.Equal(failedStage, root.GetTagItem("scan.failed_stage"));
        Assert.Equal("failed", root.GetTagItem("scan.outcome"));
        var stage = Assert.Single(trace, s => s.OperationName == failedStage);
        Assert.Equal(root.SpanId, stage.ParentSpanId);
        Assert.Equal(ActivityStatusCode.Error, stage.Status);
        Assert.Equal(typeof(ScanFormatException).FullName, stage.GetTagItem("error.type"));
        Assert.Single(trace, s => s.OperationName == "record");
        Assert.DoesNotContain(trace, s => s.OperationName != failedStage && s.Status == ActivityStatusCode.Error && s != root);

        var good = Assert.Single(run.Outcomes, o => o.Status == ScanOutcomeStatus.Succeeded);
        var (goodRoot, goodTrace) = TraceOf(spans, good.Scan.Science.ScanId);
        Assert.Equal(ActivityStatusCode.Unset, goodRoot.Status);
        Assert.DoesNotContain(goodTrace, s => s.Status == ActivityStatusCode.Error);
    }

    /// <summary>The one root span of the scan, and every span of its trace (the root included).</summary>
    private static (Activity Root, List<Activity> Trace) TraceOf(List<Activity> spans, long scanId)
    {
        var root = Assert.Single(spans, s => s.OperationName == "scan" && Equals(s.GetTagItem("scan.id"), scanId));
        return (root, [.. spans.Where(s => s.TraceId == root.TraceId)]);
    }
}

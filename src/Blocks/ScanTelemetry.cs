using System.Diagnostics;
using Scanflow.Engine.Formats;
using Scanflow.Engine.Model;
using Scanflow.Engine.Planning;

namespace Scanflow.Blocks;

/// <summary>The spans of one scan: its root, one span per stage (from the first chunk entering the stage to the last
/// leaving it) and per-chunk spans. Parents are passed explicitly, never taken from <see cref="Activity.Current"/>,
/// and every start and stop puts the thread's current activity back, so nothing leaks between scans on pool threads.
/// Tags of the root and stage spans are set only in <see cref="Finish"/>, on one thread.</summary>
internal sealed class ScanTelemetry
{
    private static readonly string[] StageNames = [.. PipelineStages.All.Select(PipelineStages.Name)];

    private readonly Lock _gate = new();
    private readonly Activity _root;
    private readonly Activity?[] _stages = new Activity?[StageNames.Length];
    private readonly DateTime[] _stageEnds = new DateTime[StageNames.Length];

    private ScanTelemetry(Activity root) => _root = root;

    /// <summary>Starts the scan's root span; null when nobody listens (or the sampler drops it).</summary>
    public static ScanTelemetry? Start(PlannedScan scan)
    {
        if (!PipelineTelemetry.Source.HasListeners())
        {
            return null;
        }

        var science = scan.Science;
        var previous = Activity.Current;
        // A root whatever the caller's context: the scan's trace is its own.
        Activity.Current = null;
        var root = PipelineTelemetry.Source.StartActivity(
            "scan",
            ActivityKind.Internal,
            default(ActivityContext),
            [
                new("scan.id", science.ScanId),
                new("scan.band", PipelineMetrics.Label(science.Band)),
                new("scan.obs_mode", science.ObsMode is { } mode ? ModelNames.Of(mode) : null),
                new("scan.calibration_id", scan.Calibration.ScanId),
            ]);
        Activity.Current = previous;
        return root is null ? null : new ScanTelemetry(root);
    }

    /// <summary>A chunk of the scan enters <paramref name="stage"/>: the first one starts the stage's span.</summary>
    public void Enter(PipelineStage stage)
    {
        lock (_gate)
        {
            _stages[(int)stage] ??= StartChild(StageNames[(int)stage], _root.Context, null);
        }
    }

    /// <summary>A chunk of the scan leaves <paramref name="stage"/>: the latest one ends the stage's span.</summary>
    public void Leave(PipelineStage stage)
    {
        var now = TimeProvider.System.GetUtcNow().UtcDateTime; // the tracing clock, not PipelineOptions.Time (a fake in tests)
        lock (_gate)
        {
            if (now > _stageEnds[(int)stage])
            {
                _stageEnds[(int)stage] = now;
            }
        }
    }

    /// <summary>A span for one chunk's work in <paramref name="stage"/>, under the stage's span; stop it with
    /// <see cref="Stop"/>.</summary>
    public Activity? StartChunk(PipelineStage stage, CountsBlock block)
    {
        Activity? parent;
        lock (_gate)
        {
            parent = _stages[(int)stage];
        }

        return parent is null
            ? null
            : StartChild(
                "chunk",
                parent.Context,
                [new("chunk.first_dump", block.FirstDump), new("chunk.dumps", block.Dumps), new("chunk.first_pixel", block.FirstPixel), new("chunk.pixels", block.Pixels)]);
    }

    public static void Stop(Activity? activity)
    {
        if (activity is null)
        {
            return;
        }

        var previous = Activity.Current;
        activity.Stop();
        Activity.Current = previous;
    }

    /// <summary>Ends the stage spans at their last chunk's exit and the root now, with the scan's outcome; a failure
    /// marks the failing stage and the root as errors.</summary>
    public void Finish(ScanOutcome outcome, string? errorType)
    {
        lock (_gate)
        {
            for (var s = 0; s < _stages.Length; s++)
            {
                if (_stages[s] is not { } span)
                {
                    continue;
                }

                if (outcome.Status == ScanOutcomeStatus.Failed && outcome.FailedStage is { } failed && (int)failed == s)
                {
                    MarkFailed(span, outcome.Error, errorType);
                }

                if (_stageEnds[s] > span.StartTimeUtc)
                {
                    span.SetEndTime(_stageEnds[s]);
                }

                Stop(span);
            }
        }

        _root.SetTag("scan.bytes", outcome.BytesRead);
        _root.SetTag("scan.outcome", PipelineMetrics.Label(outcome.Status));
        if (outcome.Status == ScanOutcomeStatus.Failed)
        {
            MarkFailed(_root, outcome.Error, errorType);
            if (outcome.FailedStage is { } stage)
            {
                _root.SetTag("scan.failed_stage", StageNames[(int)stage]);
            }
        }

        Stop(_root);
    }

    private static Activity? StartChild(string name, ActivityContext parent, IEnumerable<KeyValuePair<string, object?>>? tags)
    {
        var previous = Activity.Current;
        var child = PipelineTelemetry.Source.StartActivity(name, ActivityKind.Internal, parent, tags);
        Activity.Current = previous;
        return child;
    }

    private static void MarkFailed(Activity span, string? error, string? errorType)
    {
        span.SetStatus(ActivityStatusCode.Error, error);
        span.SetTag("error.type", errorType ?? "unknown");
    }
}

using System.Diagnostics;
using Scanflow.Engine.Processing;

namespace Scanflow.Blocks;

/// <summary>The pipeline's traces: one root span <c>scan</c> per scan with one child per stage (<c>load</c>,
/// <c>calibrate</c>, <c>atmosphere</c>, <c>prepare</c>, <c>write</c>, <c>record</c>) and per-chunk <c>chunk</c> spans
/// under load, prepare and write (docs/architecture.md, "Metrics and traces"). Subscribe with
/// <c>AddSource(PipelineTelemetry.ActivitySourceName)</c>; with no listener no span is created.</summary>
public static class PipelineTelemetry
{
    /// <summary>The name of the <see cref="System.Diagnostics.ActivitySource"/> that creates the spans.</summary>
    public const string ActivitySourceName = "Scanflow";

    internal static ActivitySource Source { get; } = new(ActivitySourceName, EngineInfo.Version);
}

namespace Scanflow.Host;

/// <summary>What <c>scanflow calibrate</c> reports besides its products: a metrics file at the end, spans on the console.</summary>
internal sealed record CalibrateObservability(string? MetricsFile, bool TraceConsole);

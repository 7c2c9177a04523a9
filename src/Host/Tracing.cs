using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Scanflow.Blocks;
using Scanflow.Engine.Processing;

namespace Scanflow.Host;

/// <summary>Traces for <c>scanflow run</c> and <c>scanflow calibrate</c>: the pipeline's spans as service
/// <c>scanflow</c>, sent by OTLP only when the standard endpoint variable is set, and to the console on request.</summary>
internal static class Tracing
{
    public const string ServiceName = "scanflow";

    /// <summary>True when OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is set: off by default,
    /// so a login node without a collector does not retry exports forever.</summary>
    public static bool OtlpConfigured() =>
        !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT"))
        || !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"));

    public static TracerProviderBuilder Configure(TracerProviderBuilder builder, bool console)
    {
        builder.AddSource(PipelineTelemetry.ActivitySourceName).ConfigureResource(r => r.AddService(ServiceName, serviceVersion: EngineInfo.Version));
        if (OtlpConfigured())
        {
            // Endpoint, protocol and headers come from the standard OTEL_EXPORTER_OTLP_* variables.
            builder.AddOtlpExporter();
        }

        if (console)
        {
            builder.AddConsoleExporter(o => o.Targets = ConsoleExporterOutputTargets.Console);
        }

        return builder;
    }
}

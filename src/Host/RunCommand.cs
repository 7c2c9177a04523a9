using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Scanflow.Blocks;
using Scanflow.Host.Report;

namespace Scanflow.Host;

/// <summary><c>scanflow run</c>: the standing service. A host (systemd notify, Windows service) whose settings
/// (<see cref="RunSettings"/>, as <c>scanflow calibrate</c>'s plus the service's) are read and checked before it starts,
/// a bad one stopping it with one sentence and exit code 1; it serves metrics, health checks and the QA report it keeps
/// current (<see cref="LiveReport"/>) on one listener at <c>Scanflow:MetricsUrl</c>.</summary>
internal static class RunCommand
{
    /// <summary>How much longer than the shutdown grace the host waits for the service to stop.</summary>
    private static readonly TimeSpan HostStopMargin = TimeSpan.FromSeconds(15);

    public static Command Create()
    {
        var settings = new RunSettingsFlags(service: true);
        var command = new Command("run", "Run the service: calibrate every scan that lands in the drop directory, until stopped");
        settings.AddTo(command);
        command.SetAction((result, cancellation) => RunAsync(settings, result));
        return command;
    }

    private static async Task<int> RunAsync(RunSettingsFlags flags, ParseResult result)
    {
        // The slim web builder: the generic host's configuration, logging and services, plus Kestrel for the metrics listener.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        // A bad setting throws; Program prints its one sentence and exits 1. Nothing has been created yet.
        var settings = flags.Read(result, builder.Configuration);

        DefaultMetrics.ForService();
        // One line per event on a terminal or in a log file; under systemd, AddSystemd switches to journal format.
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
        if (Verbosity.Of(result))
        {
            // --verbose: Scanflow's debug lines too, among them the stack trace of a fault.
            builder.Logging.AddFilter("Scanflow", LogLevel.Debug);
        }

        builder.Services.AddSystemd();
        builder.Services.AddWindowsService(o => o.ServiceName = "scanflow");
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(new PipelineMetrics(Prometheus.Metrics.DefaultRegistry));
        builder.Services.AddSingleton<IngestionStatus>();
        builder.Services.AddSingleton<ServiceReadiness>();
        // Registered before ingestion, so stopped after it: the report's last write includes the scans drained on stop.
        builder.Services.AddSingleton<LiveReport>();
        builder.Services.AddHostedService(services => services.GetRequiredService<LiveReport>());
        builder.Services.AddHostedService<IngestionService>();
        builder.Services.AddOpenTelemetry().WithTracing(tracing => Tracing.Configure(tracing, settings.TraceConsole));
        var metrics = settings.Service.MetricsUrl;
        MetricsListener.Listen(builder, settings.Service);
        builder.Services.Configure<HostOptions>(o =>
        {
            // The host must outwait the service's own grace, or it would cut a clean drain short.
            o.ShutdownTimeout = settings.ShutdownGrace + HostStopMargin;
            o.BackgroundServiceExceptionBehavior = BackgroundServiceExceptionBehavior.StopHost;
        });

        await using var app = builder.Build();
        MetricsListener.Map(app, settings.Service);
        try
        {
            await app.StartAsync();
        }
        catch (IOException e)
        {
            // Kestrel could not bind: the port is taken, or the address is not this machine's.
            var why = (e.InnerException ?? e).Message.TrimEnd('.');
            await Console.Error.WriteLineAsync(
                $"scanflow run: cannot listen at {metrics} ({why}); set {SettingNames.MetricsUrl.Path} ({SettingNames.MetricsUrl.Flag}) to a free port on an address of this machine");
            return 1;
        }

        await app.WaitForShutdownAsync();
        return Environment.ExitCode;
    }
}

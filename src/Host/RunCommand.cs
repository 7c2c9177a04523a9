using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry.Trace;
using Scanflow.Blocks;

namespace Scanflow.Host;

/// <summary><c>scanflow run</c>: the standing service. A host (systemd notify, Windows service) whose settings are
/// validated at start-up, a bad one stopping it with one sentence and exit code 1; it serves metrics and health checks
/// on one listener at <c>Scanflow:MetricsUrl</c>.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var config = new Option<FileInfo?>("--config") { Description = "A JSON settings file (section \"Scanflow\"), read after appsettings.json" };
        var drop = new Option<string?>("--drop") { Description = "Drop directory to watch (Scanflow:Drop)" };
        var output = new Option<string?>("--output") { Description = "Directory for L1 products (Scanflow:Output)" };
        var ledger = new Option<string?>("--ledger") { Description = "Ledger file (Scanflow:Ledger; default OUTPUT/scanflow-ledger.sqlite)" };
        var metricsUrl = new Option<string?>("--metrics-url") { Description = "Metrics URL, with /healthz and /readyz beside it (Scanflow:MetricsUrl; default http://127.0.0.1:9464/metrics; port 0 = any free port)" };
        var settle = new Option<string?>("--settle-seconds") { Description = "Seconds a file must stay unchanged before it is taken (Scanflow:SettleSeconds; default 10)" };
        var traceConsole = new Option<bool>("--trace-console") { Description = "Also print every trace span on the console (Scanflow:TraceConsole)" };
        var command = new Command("run", "Run the service: calibrate every scan that lands in the drop directory, until stopped")
        {
            config, drop, output, ledger, metricsUrl, settle, traceConsole,
        };
        command.SetAction(async (result, cancellation) =>
        {
            var overrides = new Dictionary<string, string?>();
            void Set(string key, string? value)
            {
                if (value is not null)
                {
                    overrides[$"{ServiceOptions.Section}:{key}"] = value;
                }
            }

            Set(nameof(ServiceOptions.Drop), result.GetValue(drop));
            Set(nameof(ServiceOptions.Output), result.GetValue(output));
            Set(nameof(ServiceOptions.Ledger), result.GetValue(ledger));
            Set(nameof(ServiceOptions.MetricsUrl), result.GetValue(metricsUrl));
            Set(nameof(ServiceOptions.SettleSeconds), result.GetValue(settle));
            Set(nameof(ServiceOptions.TraceConsole), result.GetValue(traceConsole) ? "true" : null);
            return await RunAsync(result.GetValue(config)?.FullName, overrides);
        });
        return command;
    }

    private static async Task<int> RunAsync(string? configFile, Dictionary<string, string?> overrides)
    {
        if (configFile is not null && !File.Exists(configFile))
        {
            await Console.Error.WriteLineAsync($"scanflow run: --config {configFile} does not exist");
            return 1;
        }

        DefaultMetrics.ForService();
        // The slim web builder: the generic host's configuration, logging and services, plus Kestrel for the metrics listener.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        if (configFile is not null)
        {
            builder.Configuration.AddJsonFile(configFile, optional: false);
        }

        // Environment (SCANFLOW__Drop → Scanflow:Drop) is already in; flags come last and win.
        builder.Configuration.AddEnvironmentVariables();
        builder.Configuration.AddInMemoryCollection(overrides);
        // One line per event on a terminal or in a log file; under systemd, AddSystemd switches to journal format.
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
        builder.Services.AddSystemd();
        builder.Services.AddWindowsService(o => o.ServiceName = "scanflow");
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<IValidateOptions<ServiceOptions>, ServiceOptionsValidator>();
        builder.Services.AddOptions<ServiceOptions>().BindConfiguration(ServiceOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton(new PipelineMetrics(Prometheus.Metrics.DefaultRegistry));
        builder.Services.AddSingleton<IngestionStatus>();
        builder.Services.AddSingleton<ServiceReadiness>();
        builder.Services.AddHostedService<IngestionService>();
        var traceToConsole = builder.Configuration.GetValue<bool>($"{ServiceOptions.Section}:{nameof(ServiceOptions.TraceConsole)}");
        builder.Services.AddOpenTelemetry().WithTracing(tracing => Tracing.Configure(tracing, traceToConsole));
        // A URL the validator rejects is reported by ValidateOnStart; until then the listener takes the default.
        var metrics = MetricsUrl(builder.Configuration[$"{ServiceOptions.Section}:{nameof(ServiceOptions.MetricsUrl)}"]);
        MetricsListener.Listen(builder, metrics);
        builder.Services.Configure<HostOptions>(o =>
        {
            // The host must outwait the service's own grace, or it would cut a clean drain short.
            var grace = builder.Configuration.GetValue<double?>($"{ServiceOptions.Section}:{nameof(ServiceOptions.ShutdownGraceSeconds)}") ?? 60;
            o.ShutdownTimeout = TimeSpan.FromSeconds(Math.Max(0, grace) + 15);
            o.BackgroundServiceExceptionBehavior = BackgroundServiceExceptionBehavior.StopHost;
        });

        await using var app = builder.Build();
        MetricsListener.Map(app, metrics);
        try
        {
            await app.StartAsync();
        }
        catch (OptionsValidationException e)
        {
            await Console.Error.WriteLineAsync($"scanflow run: {e.Failures.First()}");
            return 1;
        }
        catch (IOException e)
        {
            // Kestrel could not bind: the port is taken, or the address is not this machine's.
            var why = (e.InnerException ?? e).Message.TrimEnd('.');
            await Console.Error.WriteLineAsync(
                $"scanflow run: cannot listen at {metrics} ({why}); set Scanflow:MetricsUrl (--metrics-url) to a free port on an address of this machine");
            return 1;
        }

        await app.WaitForShutdownAsync();
        return Environment.ExitCode;
    }

    private static Uri MetricsUrl(string? configured) => Uri.TryCreate(configured, UriKind.Absolute, out var url) && MetricsListener.Problem(url) is null ? url : new Uri(new ServiceOptions().MetricsUrl);
}

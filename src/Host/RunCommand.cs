using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Scanflow.Host;

/// <summary><c>scanflow run</c>: the standing service. A generic host (systemd notify, Windows service) whose settings
/// are validated at start-up; a bad one stops it with one sentence and exit code 1.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var config = new Option<FileInfo?>("--config") { Description = "A JSON settings file (section \"Scanflow\"), read after appsettings.json" };
        var drop = new Option<string?>("--drop") { Description = "Drop directory to watch (Scanflow:Drop)" };
        var output = new Option<string?>("--output") { Description = "Directory for L1 products (Scanflow:Output)" };
        var ledger = new Option<string?>("--ledger") { Description = "Ledger file (Scanflow:Ledger; default OUTPUT/scanflow-ledger.sqlite)" };
        var metricsUrl = new Option<string?>("--metrics-url") { Description = "Metrics URL (Scanflow:MetricsUrl; default http://127.0.0.1:9464/metrics)" };
        var settle = new Option<string?>("--settle-seconds") { Description = "Seconds a file must stay unchanged before it is taken (Scanflow:SettleSeconds; default 10)" };
        var command = new Command("run", "Run the service: calibrate every scan that lands in the drop directory, until stopped")
        {
            config, drop, output, ledger, metricsUrl, settle,
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

        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory });
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
        builder.Services.AddHostedService<IngestionService>();
        builder.Services.Configure<HostOptions>(o =>
        {
            // The host must outwait the service's own grace, or it would cut a clean drain short.
            var grace = builder.Configuration.GetValue<double?>($"{ServiceOptions.Section}:{nameof(ServiceOptions.ShutdownGraceSeconds)}") ?? 60;
            o.ShutdownTimeout = TimeSpan.FromSeconds(Math.Max(0, grace) + 15);
            o.BackgroundServiceExceptionBehavior = BackgroundServiceExceptionBehavior.StopHost;
        });

        using var host = builder.Build();
        try
        {
            await host.RunAsync();
        }
        catch (OptionsValidationException e)
        {
            await Console.Error.WriteLineAsync($"scanflow run: {e.Failures.First()}");
            return 1;
        }

        return Environment.ExitCode;
    }
}

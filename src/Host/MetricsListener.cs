using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Prometheus;
using Scanflow.Host.Report;

namespace Scanflow.Host;

/// <summary>
/// The service's one HTTP listener, at <c>Scanflow:MetricsUrl</c>: the URL's path serves the default registry in the
/// Prometheus text format, <c>/healthz</c> answers while the process is up, <c>/readyz</c> while it can do its work,
/// <c>/report/</c> serves the QA report the service keeps current (<see cref="ReportEndpoint"/>).
/// </summary>
internal static class MetricsListener
{
    public const string HealthPath = "/healthz";

    public const string ReadyPath = "/readyz";

    /// <summary>Why Kestrel cannot listen at <paramref name="url"/> (the rest of a sentence), or null.</summary>
    public static string? Problem(Uri url)
    {
        if (url.IsLoopback && !IPAddress.TryParse(Host(url), out _) && url.Port == 0)
        {
            return "asks for any free port on localhost, which cannot be one port on both IPv4 and IPv6; use 127.0.0.1:0 or [::1]:0";
        }

        if (!url.IsLoopback && !IPAddress.TryParse(Host(url), out _))
        {
            return "does not name an IP address or localhost; use e.g. http://127.0.0.1:9464/metrics, or http://0.0.0.0:9464/metrics for every interface";
        }

        var path = url.AbsolutePath.TrimEnd('/');
        return path is HealthPath or ReadyPath or ReportEndpoint.Route || path.StartsWith(ReportEndpoint.Route + "/", StringComparison.OrdinalIgnoreCase)
            ? $"has the path {url.AbsolutePath}, where the listener serves {(path is HealthPath or ReadyPath ? "a health check" : "the report")}; use e.g. /metrics"
            : null;
    }

    /// <summary>Kestrel listens only at the configured address and port (0: any free one, logged once bound), with TLS
    /// for an https URL.</summary>
    public static void Listen(WebApplicationBuilder builder, ServiceSettings service) =>
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            var url = service.MetricsUrl;
            Action<ListenOptions> tls = service.MetricsCertificateFile is { } certificate
                ? o => o.UseHttps(MetricsCertificate.Load(certificate, service.MetricsCertificateKeyFile))
                : _ => { };
            if (IPAddress.TryParse(Host(url), out var address))
            {
                kestrel.Listen(address, url.Port, tls);
            }
            else
            {
                kestrel.ListenLocalhost(url.Port, tls);
            }
        });

    public static void Map(WebApplication app, ServiceSettings service)
    {
        var url = service.MetricsUrl;
        var reportDirectory = service.ReportDirectory;
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(MetricsListener));
        if (service.MetricsTokenFile is { } tokenFile)
        {
            var tokens = MetricsTokens.Load(tokenFile);
            // Before every route: nothing is answered, not even health, without a token.
            app.Use(async (context, next) =>
            {
                if (tokens.Accepts(context.Request.Headers.Authorization))
                {
                    await next(context);
                    return;
                }

                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                context.Response.Headers.WWWAuthenticate = "Bearer realm=\"scanflow\"";
                await context.Response.WriteAsync("A bearer token is required (Authorization: Bearer TOKEN; docs/operations.md, Security).\n");
            });
        }
        else if (service.BeyondLoopback)
        {
            Log.Unauthenticated(logger, url.ToString(), SettingNames.MetricsTokenFile.Path);
        }

        app.MapMetrics(url.AbsolutePath);
        app.MapGet(HealthPath, () => "ok");
        app.MapGet(ReadyPath, (ServiceReadiness readiness) =>
            readiness.Problems() is { Count: > 0 } problems
                ? Results.Text(string.Join('\n', problems) + "\n", statusCode: StatusCodes.Status503ServiceUnavailable)
                : Results.Text("ready\n"));
        ReportEndpoint.Map(app, reportDirectory);
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            // With port 0 only the server knows the port; tests and the demo read it from this line.
            var bound = (app.Urls.FirstOrDefault() ?? $"{url.Scheme}://{url.Authority}").TrimEnd('/');
            Log.Serving(logger, bound + url.AbsolutePath, HealthPath, ReadyPath);
            Log.ServingReport(logger, bound + ReportEndpoint.Route + "/", reportDirectory);
        });
    }

    private static string Host(Uri url) => url.Host.Trim('[', ']');
}

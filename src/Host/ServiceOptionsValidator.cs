using System.Globalization;
using Microsoft.Extensions.Options;

namespace Scanflow.Host;

/// <summary>Checks what attributes cannot: directories exist and are usable, URLs parse, names are known. Each
/// failure is one sentence naming the key, the value and what is allowed.</summary>
internal sealed class ServiceOptionsValidator : IValidateOptions<ServiceOptions>
{
    public ValidateOptionsResult Validate(string? name, ServiceOptions options)
    {
        var failures = new List<string>();
        if (!string.IsNullOrWhiteSpace(options.Drop) && !Directory.Exists(options.Drop))
        {
            failures.Add($"{Key(nameof(options.Drop))} = '{options.Drop}' is not an existing directory; set it to the drop directory raw scans land in");
        }

        if (!string.IsNullOrWhiteSpace(options.Output) && Unwritable(options.Output) is { } reason)
        {
            failures.Add($"{Key(nameof(options.Output))} = '{options.Output}' is not writable ({reason}); set it to a directory the service may write to");
        }

        if (!Uri.TryCreate(options.MetricsUrl, UriKind.Absolute, out var metrics) || metrics.Scheme is not ("http" or "https"))
        {
            failures.Add($"{Key(nameof(options.MetricsUrl))} = '{options.MetricsUrl}' is not an http(s) URL; use e.g. http://127.0.0.1:9464/metrics");
        }
        else if (MetricsListener.Problem(metrics) is { } problem)
        {
            failures.Add($"{Key(nameof(options.MetricsUrl))} = '{options.MetricsUrl}' {problem}");
        }

        Range(failures, nameof(options.SettleSeconds), options.SettleSeconds, 0, 3600, "seconds");
        Range(failures, nameof(options.RescanSeconds), options.RescanSeconds, 1, 86400, "seconds");
        Range(failures, nameof(options.CalibrationWaitMinutes), options.CalibrationWaitMinutes, 0.01, 10080, "minutes");
        Range(failures, nameof(options.MaxCalibrationAgeMinutes), options.MaxCalibrationAgeMinutes, 0.01, 10080, "minutes");
        Range(failures, nameof(options.ShutdownGraceSeconds), options.ShutdownGraceSeconds, 0, 3600, "seconds");
        Range(failures, nameof(options.MaxRetries), options.MaxRetries, 0, 100, "retries");
        Range(failures, nameof(options.PrepareParallelism), options.PrepareParallelism, 1, 64, "workers");
        Range(failures, nameof(options.ChunkMb), options.ChunkMb, 0.01, 4096, "MiB");
        if (options.VersionPolicy is not ("compatible" or "exact"))
        {
            failures.Add($"{Key(nameof(options.VersionPolicy))} = '{options.VersionPolicy}' is not allowed; use compatible or exact");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static string Key(string property) => $"{ServiceOptions.Section}:{property}";

    private static void Range(List<string> failures, string property, double value, double min, double max, string unit)
    {
        if (!(value >= min && value <= max))
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{Key(property)} = {value} is out of range; allowed {min} to {max} {unit}"));
        }
    }

    /// <summary>Creates the directory if needed and a probe file in it; null when both work.</summary>
    private static string? Unwritable(string directory)
    {
        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return e.Message;
        }

        return DirectoryProbe.Unwritable(directory);
    }
}

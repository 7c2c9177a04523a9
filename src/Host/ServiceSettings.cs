namespace Scanflow.Host;

/// <summary>The settings only <c>scanflow run</c> has: where scans land, how files are watched and how long a science
/// scan waits for its calibration, and the metrics listener. Their defaults are defined here and nowhere else.</summary>
internal sealed class ServiceSettings
{
    public static Uri DefaultMetricsUrl { get; } = new("http://127.0.0.1:9464/metrics");

    /// <summary>The report's directory, by default, inside the output directory: where the service may already write
    /// (the systemd unit's one writable folder) and where an operator looks for what a night produced.</summary>
    public const string DefaultReportDirectoryName = "report";

    /// <summary>Directory raw scans land in (watched recursively, only read); full path.</summary>
    public string Drop { get; init; } = "";

    /// <summary>The one HTTP listener: metrics at the URL's path, <c>/healthz</c> and <c>/readyz</c> beside it.
    /// Loopback unless configured; port 0 takes any free port (logged once bound).</summary>
    public Uri MetricsUrl { get; init; } = DefaultMetricsUrl;

    /// <summary>File of the bearer tokens every request to the listener must carry (<see cref="MetricsTokens"/>); null:
    /// none asked for, which is allowed only on a loopback address or with <see cref="AllowUnauthenticated"/>.</summary>
    public string? MetricsTokenFile { get; init; }

    /// <summary>Serve beyond loopback without a token (logged as a warning at every start).</summary>
    public bool AllowUnauthenticated { get; init; }

    /// <summary>PEM certificate (and its key, in the same file or in <see cref="MetricsCertificateKeyFile"/>) of an
    /// <c>https://</c> <see cref="MetricsUrl"/>.</summary>
    public string? MetricsCertificateFile { get; init; }

    public string? MetricsCertificateKeyFile { get; init; }

    /// <summary>Whether the listener is reachable from other machines: its address is not a loopback one.</summary>
    public bool BeyondLoopback => !MetricsUrl.IsLoopback;

    /// <summary>How long a file's size and modification time must stay unchanged before it is taken.</summary>
    public TimeSpan Settle { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Time between full rescans of the drop directory (watchers miss events on NFS/Lustre and in bursts).</summary>
    public TimeSpan Rescan { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a science scan waits for its calibration scan before it fails.</summary>
    public TimeSpan CalibrationWait { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Intake pauses while the output disk has less free than this, in bytes; null: <see cref="OutputSpaceFloor"/>'s
    /// automatic floor (a few times the largest product seen, at least <see cref="OutputSpaceFloor.AutomaticMinimumBytes"/>).</summary>
    public long? MinFreeSpaceBytes { get; init; }

    /// <summary>Where the service keeps the QA report of the ledger current (served at <c>/report/</c>); full path,
    /// by default <c>OUTPUT/report</c>.</summary>
    public string ReportDirectory { get; init; } = "";
}

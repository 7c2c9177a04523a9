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

namespace Scanflow.Host;

/// <summary>Every setting of <c>scanflow calibrate</c> and <c>scanflow run</c>, by key and flag (docs/cli.md, docs/operations.md).</summary>
internal static class SettingNames
{
    public static readonly SettingName Output = new("Output", "--output");

    public static readonly SettingName Ledger = new("Ledger", "--ledger");

    public static readonly SettingName JMode = new("JMode", "--jmode");

    public static readonly SettingName GainInterpolation = new("GainInterpolation", "--gain-interpolation");

    public static readonly SettingName SuspectRadiometerRatio = new("SuspectRadiometerRatio", "--suspect-radiometer-ratio");

    public static readonly SettingName VersionPolicy = new("VersionPolicy", "--version-policy");

    public static readonly SettingName MaxRetries = new("MaxRetries", "--max-retries");

    public static readonly SettingName RetryDelay = new("RetryDelaySeconds", "--retry-delay-seconds", "--retry-delay");

    public static readonly SettingName ChunkSize = new("ChunkMb", "--chunk-mb");

    public static readonly SettingName MemoryLimit = new("MemoryLimitMb", "--memory-limit-mb");

    /// <summary>Per stage: key <c>Parallelism:STAGE</c>, flag <c>--parallelism STAGE=N</c>.</summary>
    public static readonly SettingName Parallelism = new("Parallelism", "--parallelism");

    /// <summary>Per stage: key <c>Capacity:STAGE</c>, flag <c>--capacity STAGE=N</c>.</summary>
    public static readonly SettingName Capacity = new("Capacity", "--capacity");

    public static readonly SettingName ShutdownGrace = new("ShutdownGraceSeconds", "--shutdown-grace-seconds", "--grace");

    public static readonly SettingName MaxCalibrationAge = new("MaxCalibrationAgeMinutes", "--max-calibration-age-minutes", "--max-calibration-age");

    public static readonly SettingName TraceConsole = new("TraceConsole", "--trace-console");

    public static readonly SettingName Executor = new("Executor", "--executor");

    public static readonly SettingName MaxJobs = new("MaxJobs", "--max-jobs");

    /// <summary>The SLURM executor's section (<c>Slurm:WorkDirectory</c>, <c>Slurm:Partition</c>, …); scanflow.json or the environment.</summary>
    public const string SlurmSection = "Slurm";

    public static readonly SettingName Drop = new("Drop", "--drop");

    public static readonly SettingName MetricsUrl = new("MetricsUrl", "--metrics-url");

    public static readonly SettingName Settle = new("SettleSeconds", "--settle-seconds");

    public static readonly SettingName Rescan = new("RescanSeconds", "--rescan-seconds");

    public static readonly SettingName CalibrationWait = new("CalibrationWaitMinutes", "--calibration-wait-minutes");

    public static readonly SettingName MinFreeSpace = new("MinFreeSpaceMb", "--min-free-space-mb");

    public static readonly SettingName ReportDir = new("ReportDir", "--report-dir");

    public static readonly SettingName MetricsTokenFile = new("MetricsTokenFile", "--metrics-token-file");

    public static readonly SettingName MetricsCertificateFile = new("MetricsCertificateFile", "--metrics-certificate-file");

    public static readonly SettingName MetricsCertificateKeyFile = new("MetricsCertificateKeyFile", "--metrics-certificate-key-file");

    /// <summary>Settable only in scanflow.json or the environment, never by a flag: serving beyond loopback without a
    /// token must be a deliberate, written-down choice.</summary>
    public const string AllowUnauthenticatedKey = "AllowUnauthenticated";

    /// <summary>The key before <c>Parallelism:prepare</c>, still read when that is not set: the prepare stage's workers,
    /// its queue twice as many chunks unless <c>Capacity:prepare</c> is set.</summary>
    public const string OldPrepareParallelismKey = "PrepareParallelism";
}

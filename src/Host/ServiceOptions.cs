using System.ComponentModel.DataAnnotations;

namespace Scanflow.Host;

/// <summary>Settings of <c>scanflow run</c>, section <c>Scanflow</c>: appsettings.json, <c>--config FILE</c>,
/// <c>SCANFLOW__KEY</c> environment variables and command-line flags, later ones winning.</summary>
internal sealed class ServiceOptions
{
    public const string Section = "Scanflow";

    /// <summary>Directory raw scans land in (watched recursively).</summary>
    [Required(ErrorMessage = "Scanflow:Drop is not set; give the drop directory with --drop DIR, SCANFLOW__Drop or appsettings.json")]
    public string Drop { get; set; } = "";

    /// <summary>Directory for L1 products (and, by default, the ledger).</summary>
    [Required(ErrorMessage = "Scanflow:Output is not set; give the L1 directory with --output DIR, SCANFLOW__Output or appsettings.json")]
    public string Output { get; set; } = "";

    /// <summary>Ledger file; empty means <c>Output/scanflow-ledger.sqlite</c>.</summary>
    public string Ledger { get; set; } = "";

    /// <summary>The one HTTP listener: metrics at the URL's path, <c>/healthz</c> and <c>/readyz</c> beside it.
    /// Loopback unless configured; port 0 takes any free port (logged once bound).</summary>
    public string MetricsUrl { get; set; } = "http://127.0.0.1:9464/metrics";

    /// <summary>Also print every trace span on the console (for a look without a collector).</summary>
    public bool TraceConsole { get; set; }

    /// <summary>Seconds a file's size and modification time must stay unchanged before it is taken.</summary>
    public double SettleSeconds { get; set; } = 10;

    /// <summary>Seconds between full rescans of the drop directory (watchers miss events on NFS/Lustre and in bursts).</summary>
    public double RescanSeconds { get; set; } = 30;

    /// <summary>Minutes a science scan waits for its calibration scan before it fails.</summary>
    public double CalibrationWaitMinutes { get; set; } = 30;

    /// <summary>Minutes between a science scan and a usable calibration scan at most.</summary>
    public double MaxCalibrationAgeMinutes { get; set; } = 30;

    /// <summary>Seconds scans in flight get to finish on SIGTERM before they are cancelled (below systemd's TimeoutStopSec).</summary>
    public double ShutdownGraceSeconds { get; set; } = 60;

    public int MaxRetries { get; set; } = 3;

    public int PrepareParallelism { get; set; } = Environment.ProcessorCount;

    public double ChunkMb { get; set; } = 16;

    /// <summary><c>compatible</c> or <c>exact</c>.</summary>
    public string VersionPolicy { get; set; } = "compatible";
}

using Scanflow.Blocks;
using Scanflow.Engine.Ledger;
using Scanflow.Engine.Planning;
using Scanflow.Engine.Processing;
using Scanflow.Engine.Science;

namespace Scanflow.Host;

/// <summary>
/// The settings of one run, the same for <c>scanflow calibrate</c> and <c>scanflow run</c>: read once from section
/// <c>Scanflow</c> and the flags by <see cref="RunSettingsReader"/>, checked there, and turned into the engine's option
/// types by one function each. Service-only settings are the separate <see cref="Service"/> part.
/// </summary>
internal sealed class RunSettings
{
    public const string Section = "Scanflow";

    // The option types own the defaults; these instances are only read for them.
    private static readonly PipelineOptions PipelineDefaults = new() { OutputDirectory = "" };
    private static readonly LedgerOptions LedgerDefaults = new();
    private static readonly PlanningOptions PlanningDefaults = new();
    private static readonly CalibrationOptions CalibrationDefaults = new();

    private CalibrationOptions? _calibration;
    private string? _configSha256;

    /// <summary>Every default, for help texts.</summary>
    public static RunSettings Defaults { get; } = new() { Output = "", Ledger = "" };

    /// <summary>Directory of the L1 products (and, by default, the ledger); full path.</summary>
    public required string Output { get; init; }

    /// <summary>The ledger file; full path (<see cref="LedgerLocation"/>).</summary>
    public required string Ledger { get; init; }

    /// <summary>Radiation temperature convention; part of the configuration every product records.</summary>
    public JMode JMode { get; init; } = CalibrationDefaults.JMode;

    /// <summary>One calibration per science scan, or gain interpolated between two (calibration.md §7.10); part of the
    /// configuration when linear.</summary>
    public GainInterpolation GainInterpolation { get; init; } = CalibrationDefaults.GainInterpolation;

    /// <summary>The radiometer ratio above which qa.json calls a pixel suspect; not part of the configuration hash.</summary>
    public double SuspectRadiometerRatio { get; init; } = CalibrationDefaults.SuspectRadiometerRatio;

    public VersionPolicy VersionPolicy { get; init; } = LedgerDefaults.VersionPolicy;

    /// <summary>Retries after a transient failure.</summary>
    public int MaxRetries { get; init; } = LedgerDefaults.MaxRetries;

    /// <summary>Delay before the first retry; doubled for each further one.</summary>
    public TimeSpan RetryDelay { get; init; } = PipelineDefaults.RetryBaseDelay;

    /// <summary>Target bytes of ON counts per chunk.</summary>
    public long ChunkBytes { get; init; } = PipelineDefaults.ChunkBytes;

    /// <summary>The memory a run aims to stay within (<see cref="PipelineOptions.MemoryLimitBytes"/>).</summary>
    public long MemoryLimitBytes { get; init; } = PipelineDefaults.MemoryLimitBytes;

    /// <summary>Parallelism and queue bound of every stage.</summary>
    public IReadOnlyDictionary<PipelineStage, StageOptions> Stages { get; init; } = PipelineDefaults.Stages;

    /// <summary>After a stop (Ctrl+C, SIGTERM, a service stop), how long scans in flight may finish before they are cancelled.</summary>
    public TimeSpan ShutdownGrace { get; init; } = PipelineDefaults.Grace;

    /// <summary>The farthest a calibration scan may start from the science scan it calibrates.</summary>
    public TimeSpan MaxCalibrationAge { get; init; } = PlanningDefaults.MaxCalibrationAge;

    /// <summary>Also print every trace span on the console.</summary>
    public bool TraceConsole { get; init; }

    public ServiceSettings Service { get; init; } = new();

    /// <summary>With the SLURM executor, how scans are handed to it; null calibrates in this process.</summary>
    public SlurmOptions? Slurm { get; init; }

    /// <summary>The settings that change what a product contains.</summary>
    public CalibrationOptions Calibration => _calibration ??= CalibrationDefaults with
    {
        JMode = JMode,
        GainInterpolation = GainInterpolation,
        SuspectRadiometerRatio = SuspectRadiometerRatio,
    };

    /// <summary>The configuration hash every product and ledger row of this run records, computed once.</summary>
    public string ConfigSha256 => _configSha256 ??= Calibration.Sha256();

    public PipelineOptions ToPipelineOptions(TimeProvider time, PipelineMetrics? metrics) => PipelineDefaults with
    {
        OutputDirectory = Output,
        Calibration = Calibration,
        ChunkBytes = ChunkBytes,
        MemoryLimitBytes = MemoryLimitBytes,
        Stages = Stages,
        Grace = ShutdownGrace,
        RetryBaseDelay = RetryDelay,
        Time = time,
        Metrics = metrics,
        Slurm = Slurm,
    };

    public LedgerOptions ToLedgerOptions() => LedgerDefaults with { VersionPolicy = VersionPolicy, MaxRetries = MaxRetries };

    public PlanningOptions ToPlanningOptions(ScanSelection selection) => PlanningDefaults with
    {
        MaxCalibrationAge = MaxCalibrationAge,
        GainInterpolation = GainInterpolation,
        Selection = selection,
    };
}

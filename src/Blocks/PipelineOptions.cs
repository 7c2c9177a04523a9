using System.Collections.Frozen;
using Scanflow.Engine.Processing;

namespace Scanflow.Blocks;

/// <summary>How a run goes: the graph's stages, chunk size, memory limit and clock, and the runner's grace and retry
/// delay. Memory in flight depends on these options and the scans' shape (pixels × channels), not on their length; see
/// <see cref="MemoryLimitBytes"/> and docs/architecture.md.</summary>
public sealed record PipelineOptions
{
    private static readonly FrozenDictionary<PipelineStage, StageOptions> DefaultStages =
        PipelineStages.All.ToFrozenDictionary(s => s, PipelineStages.Default);

    /// <summary>Where the L1 products are written.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>The settings that change what a product contains; recorded in every product.</summary>
    public CalibrationOptions Calibration { get; init; } = new();

    /// <summary>Target bytes of ON counts per chunk; a chunk holds at least one dump.</summary>
    public long ChunkBytes { get; init; } = ScanChunking.DefaultChunkBytes;

    /// <summary>The memory the run aims to stay within. A quarter of it bounds the chunk buffers in flight (at least
    /// two chunks; the stage capacities bound them too), a quarter the calibrations kept for later science scans (at least
    /// two); the rest is for the scans being calibrated (their calibration at the scan's airmass and OFF references, about
    /// 60 bytes per pixel × channel) and the runtime. A target, not a hard cap: a single scan or calibration larger than
    /// its share is still processed.</summary>
    public long MemoryLimitBytes { get; init; } = DefaultMemoryLimitBytes;

    /// <summary>The smallest <see cref="MemoryLimitBytes"/> accepted: 128 MiB.</summary>
    public const long MinimumMemoryLimitBytes = 128L << 20;

    /// <summary>The default of <see cref="MemoryLimitBytes"/>: 1 GiB.</summary>
    public const long DefaultMemoryLimitBytes = 1L << 30;

    /// <summary>Chunk buffers the graph may hold at once: <see cref="MemoryLimitBytes"/> / 4 in chunks of
    /// <see cref="ChunkBytes"/>, at least 2 and at most what the stage capacities can hold.</summary>
    public int ChunkBuffers =>
        (int)Math.Clamp(MemoryLimitBytes / 4 / ChunkBytes, 2, PipelineStages.Configurable.Where(s => s != PipelineStage.Load).Sum(s => (long)Stage(s).BoundedCapacity) + 2);

    /// <summary>Parallelism and queue bound of every stage; <see cref="PipelineStages.Default"/> unless set.</summary>
    public IReadOnlyDictionary<PipelineStage, StageOptions> Stages { get; init; } = DefaultStages;

    /// <summary>When false, Load reads a chunk only after the previous one was written: no overlap of reading with
    /// computing or writing. The sequential baseline of the throughput benchmark; never faster.</summary>
    public bool Prefetch { get; init; } = true;

    /// <summary>Time scans in flight get to finish once a run is told to stop; then they are cancelled.</summary>
    public TimeSpan Grace { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Delay before the first retry of a transient failure; doubled for each further one.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>What a full output disk does to the run. False (a batch run): the run takes no further scans, lets those in
    /// flight end and reports the rest not started. True (the service): intake pauses (<see cref="CalibrationRunner.Pause"/>)
    /// until the caller resumes it, and the scan is tried again then; a ledger that cannot be written ends the run.</summary>
    public bool PauseOnDiskFull { get; init; }

    /// <summary>Asked before each scan is claimed: a reason (the output disk below its floor, say) pauses intake until
    /// <see cref="CalibrationRunner.Resume"/>; null (or no function, the default) claims the scan.</summary>
    public Func<string?>? HoldIntake { get; init; }

    /// <summary>Told of the plots drawn for each recorded product, on a thread of the runner's own; exceptions it throws
    /// are ignored.</summary>
    public Action<PlotsOutcome>? PlotsDrawn { get; init; }

    /// <summary>Where scans execute: null (the default) in this process, otherwise as SLURM job arrays.</summary>
    public SlurmOptions? Slurm { get; init; }

    /// <summary>The clock for recorded times, heartbeats and retry delays (a fake in tests).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Where the run reports per-stage and per-scan metrics; null (the default) reports none. Tracing needs
    /// no option: spans are created whenever a listener subscribes to <see cref="PipelineTelemetry.ActivitySourceName"/>.</summary>
    public PipelineMetrics? Metrics { get; init; }

    /// <summary>The settings of <paramref name="stage"/>.</summary>
    public StageOptions Stage(PipelineStage stage) => Stages.TryGetValue(stage, out var options) ? options : PipelineStages.Default(stage);

    /// <summary>These options with <paramref name="stage"/> set to <paramref name="options"/>.</summary>
    public PipelineOptions WithStage(PipelineStage stage, StageOptions options)
    {
        var stages = PipelineStages.All.ToDictionary(s => s, Stage);
        stages[stage] = options;
        return this with { Stages = stages };
    }

    /// <summary>Checks ranges; returns the first problem as a sentence naming the setting, or null.</summary>
    public string? Validate()
    {
        if (ChunkBytes < 1 << 10)
        {
            return $"chunk size must be at least 1 KiB (got {ChunkBytes} bytes)";
        }

        if (MemoryLimitBytes < MinimumMemoryLimitBytes)
        {
            return $"memory limit must be at least {MinimumMemoryLimitBytes >> 20} MiB (got {MemoryLimitBytes >> 20} MiB)";
        }

        foreach (var stage in PipelineStages.All)
        {
            var s = Stage(stage);
            if (s.MaxDegreeOfParallelism < 1 || s.BoundedCapacity < 1)
            {
                return $"{PipelineStages.Name(stage)} parallelism and capacity must be at least 1 (got {s.MaxDegreeOfParallelism} and {s.BoundedCapacity})";
            }
        }

        if (Grace < TimeSpan.Zero || RetryBaseDelay < TimeSpan.Zero)
        {
            return $"grace and retry delay must not be negative (got {Grace} and {RetryBaseDelay})";
        }

        return null;
    }
}

using Scanflow.Engine.Processing;

namespace Scanflow.Blocks;

/// <summary>How the graph runs. Memory in flight is bounded by <see cref="ChunkBytes"/> × (the sum of the bounded
/// capacities + 2), whatever the size of the scans; see docs/architecture.md.</summary>
public sealed record PipelineOptions
{
    /// <summary>Default chunk size: 16 MiB of ON counts (at least one dump).</summary>
    public const long DefaultChunkBytes = 16L << 20;

    public required string OutputDirectory { get; init; }

    public CalibrationOptions Calibration { get; init; } = new();

    /// <summary>Target bytes of ON counts per chunk; a chunk holds at least one dump.</summary>
    public long ChunkBytes { get; init; } = DefaultChunkBytes;

    /// <summary>Reads scans and chunks; one reader keeps the disk sequential, and its queue is the prefetch.</summary>
    public StageOptions Load { get; init; } = new(1, 2);

    public StageOptions Calibrate { get; init; } = new(1, 2);

    public StageOptions Atmosphere { get; init; } = new(1, 2);

    /// <summary>OFF interpolation and the T_A* kernel, per chunk: the CPU-bound stage.</summary>
    public StageOptions Prepare { get; init; } = new(Environment.ProcessorCount, 2 * Environment.ProcessorCount);

    /// <summary>Appends chunks to L1 files; one writer, chunks of a scan in order. Its queue of 8 keeps the writer fed
    /// after each commit (fsync + SHA-256 of the product), while Load hashes the next scan: docs/performance.md.</summary>
    public StageOptions Write { get; init; } = new(1, 8);

    /// <summary>When false, Load reads a chunk only after the previous one was written: no overlap of reading with
    /// computing or writing. The sequential baseline of the throughput benchmark; never faster.</summary>
    public bool Prefetch { get; init; } = true;

    /// <summary>The clock for recorded times (a fake in tests).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Where the graph reports per-stage and per-scan metrics; null (the default) reports none. Tracing needs
    /// no option: spans are created whenever a listener subscribes to <see cref="PipelineTelemetry.ActivitySourceName"/>.</summary>
    public PipelineMetrics? Metrics { get; init; }

    /// <summary>Checks ranges; returns the first problem as a sentence naming the setting, or null.</summary>
    public string? Validate()
    {
        if (ChunkBytes < 1 << 10)
        {
            return $"chunk size must be at least 1 KiB (got {ChunkBytes} bytes)";
        }

        foreach (var (name, stage) in new[] { ("load", Load), ("calibrate", Calibrate), ("atmosphere", Atmosphere), ("prepare", Prepare), ("write", Write) })
        {
            if (stage.MaxDegreeOfParallelism < 1 || stage.BoundedCapacity < 1)
            {
                return $"{name} parallelism and capacity must be at least 1 (got {stage.MaxDegreeOfParallelism} and {stage.BoundedCapacity})";
            }
        }

        return null;
    }
}

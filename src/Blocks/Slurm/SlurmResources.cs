namespace Scanflow.Blocks;

/// <summary>What an array task asks SLURM for, as sbatch flags; null leaves a flag out (the site's default), except
/// memory and time, which the executor derives from the shard when they are null.</summary>
public sealed record SlurmResources
{
    /// <summary><c>--partition</c>.</summary>
    public string? Partition { get; init; }

    /// <summary><c>--account</c>.</summary>
    public string? Account { get; init; }

    /// <summary><c>--qos</c>.</summary>
    public string? Qos { get; init; }

    /// <summary><c>--cpus-per-task</c>.</summary>
    public int? CpusPerTask { get; init; }

    /// <summary><c>--mem</c>, in MiB.</summary>
    public long? MemoryMegabytes { get; init; }

    /// <summary><c>--time</c>.</summary>
    public TimeSpan? TimeLimit { get; init; }

    /// <summary>Further sbatch arguments, each passed as one argument (never through a shell).</summary>
    public IReadOnlyList<string> ExtraArguments { get; init; } = [];

    /// <summary>These resources with what <paramref name="extra"/> sets replacing them; extra arguments are appended.</summary>
    public SlurmResources With(SlurmResources extra)
    {
        ArgumentNullException.ThrowIfNull(extra);
        return new SlurmResources
        {
            Partition = extra.Partition ?? Partition,
            Account = extra.Account ?? Account,
            Qos = extra.Qos ?? Qos,
            CpusPerTask = extra.CpusPerTask ?? CpusPerTask,
            MemoryMegabytes = extra.MemoryMegabytes ?? MemoryMegabytes,
            TimeLimit = extra.TimeLimit ?? TimeLimit,
            ExtraArguments = [.. ExtraArguments, .. extra.ExtraArguments],
        };
    }

    /// <summary>Value equality over the flags, extra arguments included (records compare lists by reference).</summary>
    public bool Equals(SlurmResources? other) =>
        other is not null && Partition == other.Partition && Account == other.Account && Qos == other.Qos && CpusPerTask == other.CpusPerTask
        && MemoryMegabytes == other.MemoryMegabytes && TimeLimit == other.TimeLimit && ExtraArguments.SequenceEqual(other.ExtraArguments);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Partition, Account, Qos, CpusPerTask, MemoryMegabytes, TimeLimit, ExtraArguments.Count);
}

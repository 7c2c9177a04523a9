namespace Scanflow.Blocks;

/// <summary>How a run hands its scans to SLURM (<see cref="PipelineOptions.Slurm"/>): where plans and results go, the job
/// arrays' resources, how scans are batched into submissions and shards, and how often the queue is asked about them.</summary>
public sealed record SlurmOptions
{
    /// <summary>A directory every compute node sees at the same path: one subdirectory per submission holds its plan, job
    /// script, result files and SLURM's output.</summary>
    public required string WorkDirectory { get; init; }

    /// <summary>The command that starts scanflow on a compute node (the program, then any arguments before
    /// <c>worker</c>: e.g. <c>dotnet</c> and <c>scanflow.dll</c>).</summary>
    public required IReadOnlyList<string> WorkerCommand { get; init; }

    /// <summary>The job name of every array this coordinator submits; the queue is asked about all of them in one call.</summary>
    public required string JobName { get; init; }

    /// <summary>The sbatch resources of every array.</summary>
    public SlurmResources Resources { get; init; } = new();

    /// <summary>Resources that replace <see cref="Resources"/>' for scans of an observing mode (<c>OTF</c>), a band
    /// (<c>LFA</c>) or both (<c>LFA/OTF</c>), applied in that order (a band's win over a mode's); scans with different
    /// resources go in different arrays.</summary>
    public IReadOnlyDictionary<string, SlurmResources> Overrides { get; init; } = new Dictionary<string, SlurmResources>();

    /// <summary>At most this many array tasks of one array run at once (sbatch <c>--array=…%N</c>); null for no cap.</summary>
    public int? MaxJobs { get; init; }

    /// <summary>Target bytes of raw science data per array task; a shard never splits a scan.</summary>
    public long ShardBytes { get; init; } = 16L << 30;

    /// <summary>A cooldown: scans that become ready are gathered until none came for this long (or for at most ten times
    /// as long), then submitted together, so a burst of files becomes one array.</summary>
    public TimeSpan BatchWindow { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>At most this many scans in one submission.</summary>
    public int MaxScansPerSubmission { get; init; } = 1000;

    /// <summary>The first interval between queue polls; after a poll that saw no change it doubles, up to <see cref="MaxPollInterval"/>.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest interval between queue polls.</summary>
    public TimeSpan MaxPollInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The resources for scans of <paramref name="band"/> and <paramref name="mode"/>: the base ones with the
    /// band's, the mode's and the pair's overrides applied.</summary>
    public SlurmResources ResourcesFor(string band, string mode)
    {
        var resources = Resources;
        foreach (var key in new[] { mode, band, $"{band}/{mode}" })
        {
            if (Overrides.TryGetValue(key, out var extra))
            {
                resources = resources.With(extra);
            }
        }

        return resources;
    }
}

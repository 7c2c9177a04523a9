namespace Scanflow.Host.Tests;

/// <summary>Tests that submit to the one SLURM cluster run one at a time: two CPUs run the array tasks of one test.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SlurmSerial
{
    public const string Name = "SLURM cluster";
}

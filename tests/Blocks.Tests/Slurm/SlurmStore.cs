using Scanflow.Engine.Formats;
using Scanflow.Engine.Planning;
using Scanflow.Engine.Processing;
using Scanflow.Engine.Simulation;
using Scanflow.Engine.Tests;

namespace Scanflow.Blocks.Tests.Slurm;

/// <summary>A simulated night in a folder whose name a shell would mangle, planned as the coordinator plans it (with
/// linear gain interpolation, so scans carry C₁ and C₂), and a SLURM plan of it beside an empty work directory.</summary>
internal sealed class SlurmStore : IDisposable
{
    /// <summary>Spaces, quotes, a command substitution, a leading dash and non-ASCII: a path is stored verbatim.</summary>
    public const string OddName = "-night 'of' \"$(rm -rf x)\" `id` ÿ Ω 観測";

    private readonly TempDirectory _directory = new();

    public SlurmStore(int scans = 3)
    {
        Raw = _directory.Combine(OddName, "raw");
        Work = _directory.Combine("work");
        Directory.CreateDirectory(Work);
        Truth = ScanSimulator.Run(new SimulationOptions
        {
            OutputDirectory = Raw,
            Scans = scans,
            Pixels = 2,
            Channels = 64,
            OnDumps = 12,
            OffDumps = 5,
            GainDriftPercentPer10Minutes = 3,
            CalibrationAfter = true,
        });
        Calibration = new CalibrationOptions { GainInterpolation = GainInterpolation.Linear };
        var plan = StorePlanner.Plan([Raw], new PlanningOptions { GainInterpolation = GainInterpolation.Linear });
        Assert.Empty(plan.Excluded);
        Scans = [.. plan.Scans];
        Assert.Equal(scans, Scans.Count);
        Assert.All(Scans, s => Assert.NotNull(s.LaterCalibration));
    }

    public string Raw { get; }

    public string Work { get; }

    public SimulationTruth Truth { get; }

    public CalibrationOptions Calibration { get; }

    public List<PlannedScan> Scans { get; }

    public string PlanPath => Path.Combine(Work, "plan.json");

    public string Combine(params string[] parts) => _directory.Combine(parts);

    /// <summary>The jobs as the runner hands them to an executor: with the checksums of the science and calibration files.</summary>
    public static ScanJob Job(PlannedScan scan) =>
        new(scan, FileChecksum.Sha256(scan.Science.FilePath), [.. scan.Calibrations.Select(c => FileChecksum.Sha256(c.FilePath))]);

    /// <summary>Writes a plan of one shard holding every scan at <paramref name="attempt"/>, products into <paramref name="output"/>.</summary>
    public SlurmPlan WritePlan(string output, int attempt = 1)
    {
        var plan = new SlurmPlan
        {
            OutputDirectory = output,
            Calibration = Calibration,
            ChunkBytes = 1 << 10,
            MemoryLimitBytes = PipelineOptions.MinimumMemoryLimitBytes,
            Shards = [[.. Scans.Select(s => SlurmPlanScan.Of(Job(s), attempt))]],
        };
        SlurmPlanFile.Write(PlanPath, plan);
        return plan;
    }

    public void Dispose() => _directory.Dispose();
}

using Scanflow.Engine.Model;
using Scanflow.Engine.Processing;
using Scanflow.Engine.Science;
using Scanflow.Engine.Tests;

namespace Scanflow.Blocks.Tests.Slurm;

public class SlurmPlanFileTests
{
    // Doubles whose shortest round-trip form has 17 digits, and a NaN: a plan must carry the run's settings exactly.
    private static readonly CalibrationOptions OddCalibration = new()
    {
        JMode = JMode.CallenWelton,
        AtmosphereTemperatureOffsetK = -10.000000000000002,
        GainInterpolation = GainInterpolation.Linear,
        SuspectRadiometerRatio = 0.1 + 0.2,
    };

    [Fact]
    public void A_plan_round_trips_every_setting_and_verbatim_paths()
    {
        using var directory = new TempDirectory();
        string[] odd =
        [
            directory.Combine(SlurmStore.OddName, "scan_000002_LFA_tp.h5"),
            "--output=/etc/passwd",
            "relative/ path with  two spaces/\ttab.h5",
            "/data/Ünïcödé/😀/scan.h5",
            @"C:\windows\back\slash ""quoted"".h5",
        ];
        var plan = new SlurmPlan
        {
            OutputDirectory = directory.Combine(SlurmStore.OddName, "l1"),
            Calibration = OddCalibration,
            ChunkBytes = (1L << 20) + 3,
            MemoryLimitBytes = (5L << 30) + 7,
            Shards =
            [
                [Scan(2, odd[0], [odd[1]], attempt: 1), Scan(3, odd[2], [odd[3], odd[4]], attempt: 7, note: "no later calibration within 30 min; \"quoted\" $(x)")],
                [],
                [Scan(4, odd[4], [odd[0]], attempt: 2, band: Band.Hfa)],
            ],
        };
        var path = directory.Combine("plan.json");

        SlurmPlanFile.Write(path, plan);
        var read = SlurmPlanFile.Read(path);

        Assert.Equal(SlurmPlan.CurrentVersion, read.Version);
        Assert.Equal(plan.OutputDirectory, read.OutputDirectory);
        Assert.Equal(OddCalibration, read.Calibration);
        Assert.Equal(BitConverter.DoubleToInt64Bits(OddCalibration.AtmosphereTemperatureOffsetK), BitConverter.DoubleToInt64Bits(read.Calibration.AtmosphereTemperatureOffsetK));
        Assert.Equal(OddCalibration.ToJson(), read.Calibration.ToJson());
        Assert.Equal((plan.ChunkBytes, plan.MemoryLimitBytes), (read.ChunkBytes, read.MemoryLimitBytes));
        Assert.Equal(plan.Shards.Count, read.Shards.Count);
        for (var shard = 0; shard < plan.Shards.Count; shard++)
        {
            Assert.Equal(plan.Shards[shard].Count, read.Shards[shard].Count);
            foreach (var (expected, actual) in plan.Shards[shard].Zip(read.Shards[shard]))
            {
                Assert.Equal(expected.ScienceFile, actual.ScienceFile);
                Assert.Equal(expected.CalibrationFiles, actual.CalibrationFiles);
                Assert.Equal(expected.CalibrationSha256, actual.CalibrationSha256);
                Assert.Equal(
                    (expected.ScanId, expected.Band, expected.GainInterpolationNote, expected.InputSha256, expected.Attempt),
                    (actual.ScanId, actual.Band, actual.GainInterpolationNote, actual.InputSha256, actual.Attempt));
            }
        }

        Assert.Equal(["plan.json"], Directory.GetFileSystemEntries(directory.Path).Select(Path.GetFileName));
        // The documented layout (docs/cli.md, scanflow worker): snake_case keys and enum names, letters outside ASCII unescaped.
        var text = File.ReadAllText(path);
        Assert.Contains("\"j_mode\": \"callen_welton\"", text, StringComparison.Ordinal);
        Assert.Contains("\"gain_interpolation\": \"linear\"", text, StringComparison.Ordinal);
        Assert.Contains("\"atmosphere_temperature_offset_k\": -10.000000000000002", text, StringComparison.Ordinal);
        Assert.Contains("/data/Ünïcödé/", text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_test_plan_sets_every_calibration_setting_away_from_its_default()
    {
        // A setting added to CalibrationOptions must be carried by the plan: this fails until the round trip above sets it.
        var defaults = new CalibrationOptions();
        foreach (var property in typeof(CalibrationOptions).GetProperties())
        {
            Assert.False(Equals(property.GetValue(defaults), property.GetValue(OddCalibration)), $"{property.Name} is at its default in the round-trip test");
        }
    }

    [Fact]
    public void A_plan_of_another_version_is_refused_naming_the_file_and_both_versions()
    {
        using var directory = new TempDirectory();
        var path = directory.Combine("plan.json");
        File.WriteAllText(path, """{ "version": 2, "shards": "a later layout" }""");

        var error = Assert.Throws<InvalidDataException>(() => SlurmPlanFile.Read(path));

        Assert.Equal($"{path}: SLURM plan format version 2; this scanflow reads version 1", error.Message);
    }

    [Fact]
    public void A_plan_missing_a_setting_is_refused()
    {
        using var directory = new TempDirectory();
        var path = directory.Combine("plan.json");
        File.WriteAllText(path, """{ "version": 1, "output_directory": "/l1", "chunk_bytes": 1024, "memory_limit_bytes": 134217728, "shards": [] }""");

        var error = Assert.Throws<InvalidDataException>(() => SlurmPlanFile.Read(path));

        Assert.StartsWith($"{path}: not a Scanflow SLURM plan (", error.Message, StringComparison.Ordinal);
        Assert.Contains("calibration", error.Message, StringComparison.Ordinal);
    }

    private static SlurmPlanScan Scan(long id, string science, string[] calibrations, int attempt, string? note = null, Band band = Band.Lfa) => new()
    {
        ScanId = id,
        Band = band,
        ScienceFile = science,
        CalibrationFiles = calibrations,
        GainInterpolationNote = note,
        InputSha256 = new string('a', 63) + id,
        CalibrationSha256 = [.. calibrations.Select((_, i) => new string('c', 63) + i)],
        Attempt = attempt,
    };
}

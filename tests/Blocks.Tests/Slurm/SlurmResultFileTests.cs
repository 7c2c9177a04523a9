using System.Text;
using Scanflow.Engine.Formats;
using Scanflow.Engine.Ledger;
using Scanflow.Engine.Model;
using Scanflow.Engine.Tests;

namespace Scanflow.Blocks.Tests.Slurm;

public class SlurmResultFileTests
{
    [Fact]
    public void The_result_file_of_a_shard_is_named_after_it_beside_the_plan()
    {
        Assert.Equal("/work/job 7/results-12.jsonl", SlurmResultFile.PathFor("/work/job 7/plan.json", 12));
    }

    [Fact]
    public void Appended_results_read_back_field_for_field()
    {
        using var directory = new TempDirectory();
        var path = directory.Combine("results-0.jsonl");
        var succeeded = Succeeded(0);
        var failed = Failed(1);

        SlurmResultFile.Append(path, succeeded);
        SlurmResultFile.Append(path, failed);
        var read = SlurmResultFile.Read(path);

        Assert.Equal(2, read.Count);
        AssertSame(succeeded, read[0]);
        AssertSame(failed, read[1]);
        Assert.Equal(2, File.ReadAllLines(path).Length);
        Assert.EndsWith("\n", File.ReadAllText(path), StringComparison.Ordinal);
        Assert.Contains("\"stage_durations\":{\"load\":0.1,\"prepare\":1.25}", File.ReadAllText(path), StringComparison.Ordinal);
        Assert.Contains("\"failed_stage\":\"write\"", File.ReadAllText(path), StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_result_file_has_no_results()
    {
        using var directory = new TempDirectory();
        Assert.Empty(SlurmResultFile.Read(directory.Combine("results-3.jsonl")));
    }

    [Fact]
    public void A_torn_last_line_is_not_a_result_and_the_next_append_cuts_it_off()
    {
        using var directory = new TempDirectory();
        var path = directory.Combine("results-0.jsonl");
        SlurmResultFile.Append(path, Succeeded(0));
        var whole = File.ReadAllText(path);
        // A task killed in the middle of its second line.
        File.AppendAllText(path, whole[..(whole.Length / 2)]);

        Assert.Equal(0, Assert.Single(SlurmResultFile.Read(path)).Index);

        SlurmResultFile.Append(path, Failed(1));
        Assert.Equal([0, 1], SlurmResultFile.Read(path).Select(r => r.Index));
        Assert.Equal(2, File.ReadAllLines(path).Length);
    }

    [Fact]
    public void A_complete_line_that_is_not_a_result_is_skipped_and_named_with_the_file_and_line_and_the_results_around_it_count()
    {
        using var directory = new TempDirectory();
        var path = directory.Combine("results-0.jsonl");
        SlurmResultFile.Append(path, Succeeded(0));
        File.AppendAllText(path, "{\"index\": \n");
        SlurmResultFile.Append(path, Succeeded(1));
        var damaged = new List<string>();

        var read = SlurmResultFile.Read(path, damaged);

        Assert.Equal([0, 1], read.Select(r => r.Index));
        Assert.StartsWith($"{path}, line 2: not a scan result", Assert.Single(damaged), StringComparison.Ordinal);
    }

    [Fact]
    public void A_result_becomes_the_outcome_of_the_coordinators_scan_with_the_tasks_facts()
    {
        using var store = new SlurmStore(scans: 1);
        var result = Succeeded(0);

        var outcome = result.ToOutcome(store.Scans[0]);

        Assert.Same(store.Scans[0], outcome.Scan);
        Assert.Equal((ScanOutcomeStatus.Succeeded, (PipelineStage?)null, (string?)null), (outcome.Status, outcome.FailedStage, outcome.Error));
        Assert.Equal(result.Product, outcome.Product);
        Assert.Equal(result.QualityProducts, outcome.QualityProducts);
        Assert.Equal(result.PlotDataPath, outcome.PlotDataPath);
        Assert.Equal((result.InputSha256, result.BytesRead, result.Started, result.Finished), (outcome.InputSha256, outcome.BytesRead, outcome.Started, outcome.Finished));
        Assert.Equal(TimeSpan.FromSeconds(1.25), outcome.StageDurations[PipelineStage.Prepare]);
        Assert.Null(outcome.Quality);
        Assert.Equal(new SlurmTaskUsage("4242", 3, "cn017", 12.5, 30.25, 512L << 20), outcome.Slurm);

        var failed = Failed(1).ToOutcome(store.Scans[0]);
        Assert.Equal((ScanOutcomeStatus.Failed, PipelineStage.Write, true, true), (failed.Status, failed.FailedStage, failed.TransientFailure, failed.OutputDiskFull));
        Assert.Null(failed.Product);
    }

    private static SlurmScanResult Succeeded(int index) => new()
    {
        Index = index,
        ScanId = 2,
        Band = Band.Lfa,
        Attempt = 3,
        Status = ScanOutcomeStatus.Succeeded,
        Product = new L1Product("/l1/-odd \"$(x)\" Ω/scan_000002_LFA.l1.h5", new string('f', 64), 123_456_789_012),
        QualityProducts = [new ProductFile(ProductTypes.QaMetric, "/l1/scan_000002_LFA.qa.json", 987, new string('e', 64))],
        QualityWarnings = ["a warning, \"quoted\"\nover two lines"],
        PlotDataPath = "/l1/scan_000002_LFA.plotdata",
        InputSha256 = new string('a', 64),
        BytesRead = 1L << 33,
        StageDurations = new Dictionary<PipelineStage, double> { [PipelineStage.Load] = 0.1, [PipelineStage.Prepare] = 1.25 },
        Started = new DateTimeOffset(2026, 12, 3, 6, 0, 0, TimeSpan.FromHours(-3)).AddTicks(1234567),
        Finished = new DateTimeOffset(2026, 12, 3, 9, 0, 1, TimeSpan.Zero).AddTicks(7654321),
        JobId = "4242",
        TaskId = 3,
        Node = "cn017",
        ElapsedSeconds = 12.5,
        CpuSeconds = 30.25,
        MaxRssBytes = 512L << 20,
    };

    private static SlurmScanResult Failed(int index) => new()
    {
        Index = index,
        ScanId = 3,
        Band = Band.Hfa,
        Attempt = 1,
        Status = ScanOutcomeStatus.Failed,
        FailedStage = PipelineStage.Write,
        Error = "/l1: No space left on device",
        TransientFailure = true,
        OutputDiskFull = true,
        Started = DateTimeOffset.UnixEpoch,
        Finished = DateTimeOffset.UnixEpoch.AddSeconds(0.1 + 0.2),
        JobId = "",
    };

    private static void AssertSame(SlurmScanResult expected, SlurmScanResult actual)
    {
        // The records hold lists and a dictionary, compared by reference; compare their contents and then the rest.
        Assert.Equal(expected.QualityProducts, actual.QualityProducts);
        Assert.Equal(expected.QualityWarnings, actual.QualityWarnings);
        Assert.Equal(expected.StageDurations.OrderBy(d => d.Key), actual.StageDurations.OrderBy(d => d.Key));
        Assert.Equal(expected.Started.Offset, actual.Started.Offset);
        var none = new Dictionary<PipelineStage, double>();
        Assert.Equal(expected with { QualityProducts = [], QualityWarnings = [], StageDurations = none }, actual with { QualityProducts = [], QualityWarnings = [], StageDurations = none });
    }
}

using System.Diagnostics;
using System.Runtime.Versioning;
using Scanflow.Engine.Ledger;
using Scanflow.Engine.Model;

namespace Scanflow.Blocks.Tests.Slurm;

/// <summary>The SLURM coordinator against fake sbatch, squeue and scancel (issue 12): a scan's outcome is its result line,
/// or how its task ended; an sbatch error is checked against the queue; polls back off; a stop cancels the jobs;
/// resources split submissions; a re-attached scan is collected without a second sbatch.</summary>
[SupportedOSPlatform("linux")]
public sealed class SlurmExecutorTests
{
    private const string SbatchError = "sbatch: error: Batch job submission failed: Socket timed out on send/recv operation";

    /// <summary>Saves its --comment beside itself, then fails as sbatch does when the controller answers too late.</summary>
    private const string SbatchSavesCommentAndFails = $$"""
        d=$(dirname "$0")
        for a in "$@"; do case "$a" in --comment=*) printf '%s' "${a#--comment=}" > "$d/comment";; esac; done
        echo '{{SbatchError}}' >&2
        exit 1
        """;

    /// <summary>Lists job 77 task 0 COMPLETED with the comment sbatch saved, once sbatch ran.</summary>
    private const string SqueueListsTheSavedComment = """
        d=$(dirname "$0")
        if [ -f "$d/comment" ]; then printf '77|0|COMPLETED|None|node1|%s\n' "$(cat "$d/comment")"; fi
        """;

    /// <summary>Prints job ids 77, 78, ... one per call.</summary>
    private const string SbatchCounts = """
        d=$(dirname "$0")
        n=$(cat "$d/next-id" 2>/dev/null || echo 77)
        echo $((n + 1)) > "$d/next-id"
        echo "$n"
        """;

    [Fact]
    public async Task SlurmExecutor_finds_a_job_queued_by_an_sbatch_that_failed_by_its_comment_and_collects_its_result_12()
    {
        await using var rig = new SlurmExecutorRig(sbatchBody: SbatchSavesCommentAndFails, squeueBody: SqueueListsTheSavedComment);
        // The worker wrote its result before sbatch gave up: the job ran although sbatch failed.
        var executor = rig.Start(onSubmitting: call => SlurmExecutorRig.WriteResult(call, 1, "77"));

        Assert.True(await executor.SubmitAsync(rig.Job(1), CancellationToken.None));
        var outcome = await rig.OutcomeAsync(1);

        Assert.True(outcome.Status == ScanOutcomeStatus.Succeeded, outcome.Error);
        Assert.Equal("77", outcome.Slurm?.JobId);
        var submission = Assert.Single(rig.Ledger.Submitting).Submission;
        Assert.Equal(submission, File.ReadAllText(Path.Combine(rig.FakesDirectory, "comment")));
        Assert.Equal([(submission, "77")], rig.Ledger.Submitted);
        Assert.Single(rig.Fakes.Calls("sbatch"));
        executor.Complete();
        await rig.CompletionAsync();
        Assert.Single(rig.Outcomes);
    }

    [Fact]
    public async Task SlurmExecutor_fails_the_scans_of_an_sbatch_that_failed_transiently_when_no_job_carries_their_submission_12()
    {
        await using var rig = new SlurmExecutorRig(sbatchBody: SbatchSavesCommentAndFails);
        rig.SetQueue(); // squeue answers, listing no job
        var executor = rig.Start();

        await executor.SubmitAsync(rig.Job(1), CancellationToken.None);
        var outcome = await rig.OutcomeAsync(1);

        Assert.Equal((ScanOutcomeStatus.Failed, true), (outcome.Status, outcome.TransientFailure));
        Assert.Contains("submitting to SLURM failed", outcome.Error, StringComparison.Ordinal);
        Assert.Contains(SbatchError, outcome.Error, StringComparison.Ordinal);
        Assert.Equal("sha-science-1", outcome.InputSha256);
        Assert.Empty(rig.Ledger.Submitted);
        Assert.Single(rig.Fakes.Calls("sbatch"));
        executor.Complete();
        await rig.CompletionAsync();
    }

    [Fact]
    public async Task SlurmExecutor_polls_less_often_while_nothing_changes_with_one_name_argument_per_call_12()
    {
        await using var rig = new SlurmExecutorRig();
        rig.SetQueue(SlurmExecutorRig.Line("77", 0, "RUNNING"));
        var executor = rig.Start();
        await executor.SubmitAsync(rig.Job(1), CancellationToken.None);
        var submission = await rig.SubmittingAsync();
        await rig.WaitForAsync(() => rig.Ledger.Submitted.Count == 1, "the job id recorded");

        // The observation window: at a fixed 100 ms interval this would be about 30 calls.
        var before = rig.Fakes.Calls("squeue").Count;
        var window = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(3));
        var during = rig.Fakes.Calls("squeue").Count - before;
        window.Stop();

        Assert.True(during is >= 2 and <= 12, $"{during} squeue calls in {window.Elapsed.TotalSeconds:F1} s with the task RUNNING throughout");
        Assert.Empty(rig.Outcomes);
        Assert.All(rig.Fakes.Calls("squeue"), call => Assert.Equal(["--name=" + SlurmExecutorRig.JobName], call.Where(a => a.StartsWith("--name=", StringComparison.Ordinal))));

        SlurmExecutorRig.WriteResult(submission, 1, "77");
        rig.SetQueue(SlurmExecutorRig.Line("77", 0, "COMPLETED"));
        var outcome = await rig.OutcomeAsync(1);

        Assert.True(outcome.Status == ScanOutcomeStatus.Succeeded, outcome.Error);
        Assert.False(executor.Completion.IsCompleted, "completed before Complete()");
        executor.Complete();
        await rig.CompletionAsync();
        Assert.Single(rig.Outcomes);
    }

    [Fact]
    public async Task SlurmExecutor_fails_the_scans_without_a_result_of_a_task_that_ended_FAILED_and_keeps_the_others_results_12()
    {
        await using var rig = new SlurmExecutorRig();
        rig.SetQueue(SlurmExecutorRig.Line("77", 0, "RUNNING"));
        // A long batch window, closed by Complete(): both scans go in one submission, whatever the machine's load.
        var executor = rig.Start(rig.Slurm with { BatchWindow = TimeSpan.FromSeconds(20) });
        await executor.SubmitAsync(rig.Job(1), CancellationToken.None);
        await executor.SubmitAsync(rig.Job(2), CancellationToken.None);
        executor.Complete();
        var submission = await rig.SubmittingAsync();
        Assert.Equal(1, submission.Tasks);

        SlurmExecutorRig.WriteResult(submission, 1, "77");
        rig.SetQueue(SlurmExecutorRig.Line("77", 0, "FAILED", "NonZeroExitCode"));
        await rig.CompletionAsync();

        Assert.Equal(2, rig.Outcomes.Count);
        var first = await rig.OutcomeAsync(1);
        Assert.True(first.Status == ScanOutcomeStatus.Succeeded, first.Error);
        var second = await rig.OutcomeAsync(2);
        Assert.Equal((ScanOutcomeStatus.Failed, true), (second.Status, second.TransientFailure));
        Assert.Contains("SLURM task 77_0 ended FAILED", second.Error, StringComparison.Ordinal);
        Assert.Contains("(NonZeroExitCode)", second.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SlurmExecutor_fails_the_scans_without_a_result_of_a_task_squeue_no_longer_lists_12()
    {
        await using var rig = new SlurmExecutorRig();
        rig.SetQueue(SlurmExecutorRig.Line("77", 0, "RUNNING"));
        var executor = rig.Start(rig.Slurm with { BatchWindow = TimeSpan.FromSeconds(20) });
        await executor.SubmitAsync(rig.Job(1), CancellationToken.None);
        await executor.SubmitAsync(rig.Job(2), CancellationToken.None);
        executor.Complete();
        var submission = await rig.SubmittingAsync();
        await rig.WaitForAsync(() => rig.Ledger.Submitted.Count == 1, "the job id recorded");

        SlurmExecutorRig.WriteResult(submission, 2, "77");
        rig.SetQueue();
        await rig.CompletionAsync();

        Assert.Equal(2, rig.Outcomes.Count);
        var gone = await rig.OutcomeAsync(1);
        Assert.Equal((ScanOutcomeStatus.Failed, true), (gone.Status, gone.TransientFailure));
        Assert.Contains("SLURM task 77_0", gone.Error, StringComparison.Ordinal);
        Assert.Contains("longer ago than SLURM remembers jobs", gone.Error, StringComparison.Ordinal);
        var collected = await rig.OutcomeAsync(2);
        Assert.True(collected.Status == ScanOutcomeStatus.Succeeded, collected.Error);
    }

    [Fact]
    public async Task SlurmExecutor_stopped_cancels_its_running_job_once_and_starts_no_scan_submitted_afterwards_12()
    {
        await using var rig = new SlurmExecutorRig();
        rig.SetQueue(SlurmExecutorRig.Line("77", 0, "RUNNING"));
        var executor = rig.Start();
        await executor.SubmitAsync(rig.Job(1), CancellationToken.None);
        await rig.WaitForAsync(() => rig.Ledger.Submitted.Count == 1, "the job id recorded");

        executor.CancelInFlightAfter(TimeSpan.Zero);
        var cancelled = await rig.OutcomeAsync(1);

        Assert.Equal(ScanOutcomeStatus.Cancelled, cancelled.Status);
        Assert.Contains("SLURM job 77 cancelled", cancelled.Error, StringComparison.Ordinal);
        Assert.Equal([["--", "77"]], rig.Fakes.Calls("scancel"));

        Assert.True(await executor.SubmitAsync(rig.Job(2), CancellationToken.None));
        var late = await rig.OutcomeAsync(2);

        Assert.Equal(ScanOutcomeStatus.Cancelled, late.Status);
        Assert.StartsWith("not started", late.Error, StringComparison.Ordinal);
        Assert.False(executor.Completion.IsCompleted, "completed before Complete()");
        executor.Complete();
        await rig.CompletionAsync();
        Assert.Single(rig.Fakes.Calls("sbatch"));
        Assert.Single(rig.Fakes.Calls("scancel"));
        Assert.Single(rig.Ledger.Submitting);
        Assert.Equal(2, rig.Outcomes.Count);
    }

    [Fact]
    public async Task SlurmExecutor_puts_scans_with_different_resources_into_submissions_of_their_own_12()
    {
        await using var rig = new SlurmExecutorRig(sbatchBody: SbatchCounts);
        rig.SetQueue(SlurmExecutorRig.Line("77", 0, "RUNNING"), SlurmExecutorRig.Line("78", 0, "RUNNING"));
        var executor = rig.Start(rig.Slurm with
        {
            BatchWindow = TimeSpan.FromSeconds(20),
            Resources = new SlurmResources { Partition = "main" },
            Overrides = new Dictionary<string, SlurmResources> { ["HFA"] = new() { Partition = "himem" } },
        });
        await executor.SubmitAsync(rig.Job(1, Band.Lfa), CancellationToken.None);
        await executor.SubmitAsync(rig.Job(2, Band.Hfa), CancellationToken.None);
        executor.Complete();
        await rig.WaitForAsync(() => rig.Ledger.Submitted.Count == 2, "two job ids recorded");

        var sbatch = rig.Fakes.Calls("sbatch");
        Assert.Equal(2, sbatch.Count);
        var submissions = rig.Ledger.Submitting;
        Assert.Equal(2, submissions.Count);
        foreach (var submission in submissions)
        {
            var (scan, _, _) = Assert.Single(submission.Scans);
            var call = Assert.Single(sbatch, c => c.Contains("--comment=" + submission.Submission));
            var partition = scan.Science.Band == Band.Hfa ? "himem" : "main";
            Assert.Equal(["--partition=" + partition], call.Where(a => a.StartsWith("--partition=", StringComparison.Ordinal)));
        }

        var jobIds = rig.Ledger.Submitted.ToDictionary(s => s.Submission, s => s.JobId);
        foreach (var submission in submissions)
        {
            SlurmExecutorRig.WriteResult(submission, submission.Scans[0].Scan.Science.ScanId, jobIds[submission.Submission]);
        }

        rig.SetQueue(SlurmExecutorRig.Line("77", 0, "COMPLETED"), SlurmExecutorRig.Line("78", 0, "COMPLETED"));
        await rig.CompletionAsync();

        Assert.Equal(2, rig.Outcomes.Count);
        Assert.All(rig.Outcomes, o => Assert.True(o.Status == ScanOutcomeStatus.Succeeded, o.Error));
    }

    [Fact]
    public async Task SlurmExecutor_reattaches_to_a_dead_coordinators_job_and_collects_its_result_without_sbatch_12()
    {
        await using var rig = new SlurmExecutorRig();
        var planPath = Path.Combine(rig.WorkDirectory, "old-submission", "plan.json");
        Directory.CreateDirectory(Path.GetDirectoryName(planPath)!);
        SlurmExecutorRig.WriteResult(planPath, 1, 0, 5, Band.Lfa, "88");
        rig.SetQueue(SlurmExecutorRig.Line("88", 1, "COMPLETED", comment: "old-submission"));
        var executor = rig.Start();

        await executor.SubmitAsync(
            rig.Job(5) with { Reattach = new SlurmAttempt("old-submission", planPath, "scanflow-old", "88", 1, 0) }, CancellationToken.None);
        var outcome = await rig.OutcomeAsync(5);

        Assert.True(outcome.Status == ScanOutcomeStatus.Succeeded, outcome.Error);
        Assert.Equal(("88", 1), (outcome.Slurm?.JobId, outcome.Slurm?.TaskId));
        Assert.Empty(rig.Fakes.Calls("sbatch"));
        Assert.Empty(rig.Ledger.Submitting);
        var names = Assert.Single(rig.Fakes.Calls("squeue")[0], a => a.StartsWith("--name=", StringComparison.Ordinal))["--name=".Length..];
        Assert.Equal(["scanflow-old", SlurmExecutorRig.JobName], names.Split(',').Order(StringComparer.Ordinal));
        executor.Complete();
        await rig.CompletionAsync();
        Assert.Single(rig.Outcomes);
    }

    [Fact]
    public async Task SlurmExecutor_reads_a_damaged_result_file_again_and_fails_the_scans_of_an_ended_task_with_the_reason_12()
    {
        await using var rig = new SlurmExecutorRig();
        rig.SetQueue(SlurmExecutorRig.Line("77", 0, "RUNNING"));
        var executor = rig.Start();
        await executor.SubmitAsync(rig.Job(1), CancellationToken.None);
        executor.Complete();
        var submission = await rig.SubmittingAsync();
        File.WriteAllText(SlurmResultFile.PathFor(submission.PlanPath, 0), "{ not json\n");

        rig.SetQueue(SlurmExecutorRig.Line("77", 0, "COMPLETED"));
        await rig.CompletionAsync();

        var outcome = await rig.OutcomeAsync(1);
        Assert.Equal((ScanOutcomeStatus.Failed, true), (outcome.Status, outcome.TransientFailure));
        Assert.Contains("its result file could not be read", outcome.Error, StringComparison.Ordinal);
        Assert.True(Directory.Exists(Path.GetDirectoryName(submission.PlanPath)), "a submission whose scan failed keeps its directory");
    }

    [Fact]
    public async Task SlurmExecutor_removes_the_directory_of_a_submission_whose_scans_all_succeeded_12()
    {
        await using var rig = new SlurmExecutorRig();
        rig.SetQueue(SlurmExecutorRig.Line("77", 0, "RUNNING"));
        var executor = rig.Start();
        await executor.SubmitAsync(rig.Job(1), CancellationToken.None);
        executor.Complete();
        var submission = await rig.SubmittingAsync();

        SlurmExecutorRig.WriteResult(submission, 1, "77");
        await rig.CompletionAsync();

        Assert.Equal(ScanOutcomeStatus.Succeeded, (await rig.OutcomeAsync(1)).Status);
        Assert.False(Directory.Exists(Path.GetDirectoryName(submission.PlanPath)));
    }
}

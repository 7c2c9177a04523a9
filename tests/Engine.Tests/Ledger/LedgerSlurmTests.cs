using Scanflow.Engine.Ledger;

namespace Scanflow.Engine.Tests.Ledger;

/// <summary>Issue 12: work handed to SLURM is in the ledger before sbatch runs, and a coordinator that died leaves it to
/// the next claim, which re-attaches to the same attempt instead of calibrating the scan again.</summary>
public sealed class LedgerSlurmTests : IDisposable
{
    private readonly LedgerFixture _ledger = new();

    public void Dispose() => _ledger.Dispose();

    [Fact]
    public void A_submission_and_its_job_id_are_recorded_with_each_attempts_task_and_place_12()
    {
        using var writer = _ledger.OpenWriter();
        var (_, seven) = _ledger.ClaimBeside(writer, 7);
        var (_, eight) = _ledger.ClaimBeside(writer, 8);

        writer.SlurmSubmitting(Submission("sub-1", (seven.RowId, seven.Attempt, 0, 0), (eight.RowId, eight.Attempt, 1, 0)));
        writer.SlurmSubmitted("sub-1", "4242");
        writer.SlurmUsage(eight.RowId, eight.Attempt, "node-3", 12.5, 20.25, 1L << 30);

        using var reader = LedgerReader.Open(_ledger.Path);
        var attempt = Assert.Single(reader.Attempts(eight.RowId));
        Assert.Equal(("4242", 1, "node-3", 12.5, 20.25, 1L << 30), (attempt.SlurmJobId, attempt.SlurmTask, attempt.SlurmNode, attempt.SlurmElapsedSeconds, attempt.SlurmCpuSeconds, attempt.SlurmMaxRssBytes));
        Assert.Equal("0", _ledger.Scalar($"SELECT slurm_task FROM attempts WHERE row_id = {seven.RowId}"));
    }

    [Fact]
    public void Only_attempts_this_run_holds_can_be_submitted_12()
    {
        using var writer = _ledger.OpenWriter();
        var (_, claimed) = _ledger.ClaimBeside(writer, 7);
        writer.Cancelled(claimed.RowId, claimed.Attempt, null, LedgerFixture.Durations);

        Assert.Throws<InvalidOperationException>(() => writer.SlurmSubmitting(Submission("sub-1", (claimed.RowId, claimed.Attempt, 0, 0))));

        Assert.Equal("0", _ledger.Scalar("SELECT count(*) FROM slurm_submissions")); // the transaction is all or nothing
    }

    [Fact]
    public void A_dead_coordinators_slurm_attempt_is_not_requeued_and_its_claim_reattaches_to_the_same_attempt_12()
    {
        var dead = LedgerWriter.Open(_ledger.Path, new LedgerOptions(), _ledger.Time, new RunIdentity(Environment.MachineName, 999_999, _ledger.Time.GetUtcNow()));
        var (onSlurm, submitted) = _ledger.ClaimBeside(dead, 7);
        var (local, notSubmitted) = _ledger.ClaimBeside(dead, 8);
        dead.SlurmSubmitting(Submission("sub-1", (submitted.RowId, submitted.Attempt, 2, 5)));
        dead.Abandon(); // no sbatch answer recorded: the job id is found by its comment
        using var restarted = _ledger.OpenWriter();

        var recovered = restarted.RecoverDeadRuns();
        var reattached = restarted.Claim(onSlurm with { ReattachSlurm = true });

        Assert.Equal([8L], recovered.Select(r => r.ScanId));
        Assert.Equal(ClaimOutcome.Claimed, reattached.Outcome);
        Assert.Equal(submitted.Attempt, reattached.Attempt);
        Assert.Equal(new SlurmAttempt("sub-1", "/work/sub-1/plan.json", "scanflow-test", null, 2, 5), reattached.Reattach);
        Assert.Equal(restarted.RunId, _ledger.Scalar($"SELECT run_id FROM scans WHERE row_id = {submitted.RowId}"));
        Assert.Equal(restarted.RunId, _ledger.Scalar($"SELECT run_id FROM attempts WHERE row_id = {submitted.RowId}"));
        Assert.Equal("RUNNING", _ledger.Scalar($"SELECT status FROM attempts WHERE row_id = {submitted.RowId}"));
        Assert.Null(restarted.Claim(local).Reattach);
    }

    [Fact]
    public void A_run_that_calibrates_in_its_own_process_takes_a_dead_coordinators_slurm_attempt_over_as_interrupted_12()
    {
        var dead = LedgerWriter.Open(_ledger.Path, new LedgerOptions(), _ledger.Time, new RunIdentity(Environment.MachineName, 999_999, _ledger.Time.GetUtcNow()));
        var (claim, submitted) = _ledger.ClaimBeside(dead, 7);
        dead.SlurmSubmitting(Submission("sub-1", (submitted.RowId, submitted.Attempt, 0, 0)));
        dead.Abandon();
        using var restarted = _ledger.OpenWriter();

        var taken = restarted.Claim(claim);

        Assert.Null(taken.Reattach);
        Assert.Equal(submitted.Attempt + 1, taken.Attempt);
        Assert.Equal("FAILED", _ledger.Scalar($"SELECT status FROM attempts WHERE row_id = {submitted.RowId} AND attempt = {submitted.Attempt}"));
    }

    private static SlurmSubmission Submission(string id, params (long RowId, int Attempt, int Task, int Index)[] attempts) =>
        new(id, $"/work/{id}/plan.json", "scanflow-test", 3, attempts);
}

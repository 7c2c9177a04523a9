using System.Runtime.Versioning;
using Scanflow.Engine.Tests;

namespace Scanflow.Blocks.Tests;

/// <summary>SlurmClient against fake commands: exact argument lists, call counts, and failures a real cluster does
/// not produce on demand. SlurmClusterTests runs it against the real one.</summary>
[SupportedOSPlatform("linux")]
public sealed class SlurmClientTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly SlurmCommandFakes _fakes;

    public SlurmClientTests() => _fakes = new SlurmCommandFakes(_temp.Path);

    public void Dispose() => _temp.Dispose();

    private SlurmSubmitRequest Request => new(_temp.Combine("job.sh"), ["plan.json"], "scanflow-7", null, 2, null, _temp.Path, null, new SlurmResources());

    [Fact]
    public async Task SubmitAsync_returns_the_job_id_without_the_cluster_and_passes_the_request_as_argv()
    {
        var sbatch = _fakes.Write("sbatch", "echo '4242;cluster-a'");
        var client = new SlurmClient(sbatch: sbatch);

        var jobId = await client.SubmitAsync(Request, CancellationToken.None);

        Assert.Equal("4242", jobId);
        Assert.Equal([[.. Request.ToSbatchArguments()]], _fakes.Calls("sbatch"));
        Assert.Equal((1, 0), (client.SubmitCalls, client.StatusCalls));
    }

    [Fact]
    public async Task SubmitAsync_failure_names_the_command_and_what_it_said_in_one_sentence()
    {
        var sbatch = _fakes.Write("sbatch", "echo 'sbatch: error: invalid account' >&2\necho 'sbatch: error: Batch job submission failed: Invalid account or account/partition combination specified' >&2\nexit 1");
        var client = new SlurmClient(sbatch: sbatch);

        var failure = await Assert.ThrowsAsync<SlurmCommandException>(() => client.SubmitAsync(Request, CancellationToken.None));

        Assert.Equal(
            $"{sbatch} failed (exit code 1): sbatch: error: invalid account; sbatch: error: Batch job submission failed: Invalid account or account/partition combination specified.",
            failure.Message);
        Assert.Equal((sbatch, 1), (failure.Command, failure.ExitCode));
    }

    [Fact]
    public async Task SubmitAsync_refuses_output_that_is_not_a_job_id()
    {
        var client = new SlurmClient(sbatch: _fakes.Write("sbatch", "echo 'Submitted batch job 12'"));

        var failure = await Assert.ThrowsAsync<SlurmCommandException>(() => client.SubmitAsync(Request, CancellationToken.None));

        Assert.Contains("'Submitted batch job 12' instead of a job id", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_program_is_a_SlurmCommandException_naming_it()
    {
        var client = new SlurmClient(sbatch: _temp.Combine("no-sbatch"));

        var failure = await Assert.ThrowsAsync<SlurmCommandException>(() => client.SubmitAsync(Request, CancellationToken.None));

        Assert.StartsWith($"{_temp.Combine("no-sbatch")} could not be started", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QueryAsync_makes_one_squeue_call_per_query_and_parses_its_lines()
    {
        var squeue = _fakes.Write("squeue", "printf '31|1|PENDING|JobArrayTaskLimit||a|b\\n31|0|RUNNING|None|node7|a|b\\n'");
        var client = new SlurmClient(squeue: squeue);

        var first = await client.QueryAsync(["scanflow-7"], CancellationToken.None);
        await client.QueryAsync(["scanflow-7"], CancellationToken.None);

        Assert.Equal(
        [
            new SlurmTaskStatus("31", 1, SlurmState.Pending, "PENDING", "JobArrayTaskLimit", null, "a|b"),
            new SlurmTaskStatus("31", 0, SlurmState.Running, "RUNNING", "None", "node7", "a|b"),
        ], first);
        string[] expected = ["--noheader", "--array", "--states=all", "--name=scanflow-7", "--format=%F|%K|%T|%r|%N|%k"];
        Assert.Equal([expected, expected], _fakes.Calls("squeue"));
        Assert.Equal((0, 2), (client.SubmitCalls, client.StatusCalls));
    }

    [Fact]
    public async Task QueryAsync_failure_names_squeue_and_its_error()
    {
        var squeue = _fakes.Write("squeue", "echo 'slurm_load_jobs error: Unable to contact slurm controller (connect failure)' >&2\nexit 1");
        var client = new SlurmClient(squeue: squeue);

        var failure = await Assert.ThrowsAsync<SlurmCommandException>(() => client.QueryAsync(["scanflow-7"], CancellationToken.None));

        Assert.Equal($"{squeue} failed (exit code 1): slurm_load_jobs error: Unable to contact slurm controller (connect failure).", failure.Message);
        Assert.Equal(1, client.StatusCalls);
    }

    [Fact]
    public async Task QueryAsync_of_output_in_another_format_is_a_SlurmCommandException()
    {
        var client = new SlurmClient(squeue: _fakes.Write("squeue", "echo 'JOBID PARTITION NAME'"));

        await Assert.ThrowsAsync<SlurmCommandException>(() => client.QueryAsync(["scanflow-7"], CancellationToken.None));
    }

    [Fact]
    public async Task CancelAsync_cancels_every_job_in_one_scancel_call_and_makes_none_for_no_jobs()
    {
        var client = new SlurmClient(scancel: _fakes.Write("scancel", "exit 0"));

        await client.CancelAsync([], CancellationToken.None);
        Assert.Empty(_fakes.Calls("scancel"));

        await client.CancelAsync(["31", "32", "40"], CancellationToken.None);
        Assert.Equal([["--", "31", "32", "40"]], _fakes.Calls("scancel"));
    }
}

using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace Scanflow.Blocks;

/// <summary>Submits, watches and cancels job arrays through SLURM's own commands (sbatch, squeue, scancel), each
/// started with an argument list, never through a shell. The programs are found on PATH unless given; tests give
/// fakes to inject failures.</summary>
internal sealed class SlurmClient(string sbatch = "sbatch", string squeue = "squeue", string scancel = "scancel")
{
    private long _submitCalls;
    private long _statusCalls;

    /// <summary>How many times sbatch was started.</summary>
    public long SubmitCalls => Interlocked.Read(ref _submitCalls);

    /// <summary>How many times squeue was started: what a watcher costs the controller.</summary>
    public long StatusCalls => Interlocked.Read(ref _statusCalls);

    /// <summary>Submits the array and returns its job id (without the ";cluster" of a federation). Cancelling the
    /// token kills sbatch, after which the job may or may not have been submitted.</summary>
    public async Task<string> SubmitAsync(SlurmSubmitRequest request, CancellationToken cancellationToken)
    {
        var arguments = request.ToSbatchArguments();
        Interlocked.Increment(ref _submitCalls);
        var output = await RunAsync(sbatch, arguments, cancellationToken).ConfigureAwait(false);
        // --parsable prints "JOBID" or "JOBID;CLUSTER".
        var jobId = output.Trim().Split(';')[0];
        if (jobId.Length == 0 || !jobId.All(char.IsAsciiDigit))
        {
            throw new SlurmCommandException($"sbatch succeeded but printed '{output.Trim()}' instead of a job id.") { Command = sbatch, ExitCode = 0 };
        }

        return jobId;
    }

    /// <summary>Every task of every job named one of <paramref name="jobNames"/> that the controller still knows, pending
    /// tasks one by one, finished ones for MinJobAge after they ended; one squeue call.</summary>
    public async Task<IReadOnlyList<SlurmTaskStatus>> QueryAsync(IReadOnlyCollection<string> jobNames, CancellationToken cancellationToken)
    {
        if (jobNames.Count == 0 || jobNames.Any(name => string.IsNullOrEmpty(name) || name.Contains(',', StringComparison.Ordinal)))
        {
            throw new ArgumentException(
                $"Job names '{string.Join("', '", jobNames)}' must be at least one, each non-empty without a comma (squeue --name takes a comma-separated list).",
                nameof(jobNames));
        }

        Interlocked.Increment(ref _statusCalls);
        string[] arguments = ["--noheader", "--array", "--states=all", "--name=" + string.Join(',', jobNames), "--format=" + SqueueListing.Format];
        var output = await RunAsync(squeue, arguments, cancellationToken).ConfigureAwait(false);
        try
        {
            return SqueueListing.Parse(output);
        }
        catch (FormatException e)
        {
            throw new SlurmCommandException(e.Message, e) { Command = squeue, ExitCode = 0 };
        }
    }

    /// <summary>Cancels the given jobs (all their tasks) in one scancel call; none for an empty list.</summary>
    public async Task CancelAsync(IReadOnlyCollection<string> jobIds, CancellationToken cancellationToken)
    {
        if (jobIds.Count == 0)
        {
            return;
        }

        // "--" so that no id is read as an option; scancel rejects anything that is not a job id itself.
        await RunAsync(scancel, ["--", .. jobIds], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs the program to its exit and returns its stdout; a non-zero exit throws with its stderr.</summary>
    /// <summary>How long one sbatch, squeue or scancel call may take.</summary>
    public static TimeSpan CommandTimeout { get; } = TimeSpan.FromMinutes(2);

    private static async Task<string> RunAsync(string program, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(program)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw new SlurmCommandException($"{program} could not be started: {e.Message}.", e) { Command = program };
        }

        // sbatch reads a script from stdin when given none; it is always given one, and stdin closed makes sure.
        process.StandardInput.Close();
        // A controller that stops answering must not freeze the coordinator: the call fails, and is made again later.
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(CommandTimeout);
        var stdout = process.StandardOutput.ReadToEndAsync(limit.Token);
        var stderr = process.StandardError.ReadToEndAsync(limit.Token);
        try
        {
            await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            throw new SlurmCommandException($"{program} did not answer within {CommandTimeout.TotalSeconds:0} s; the controller may be down or overloaded.") { Command = program };
        }

        var output = await stdout.ConfigureAwait(false);
        var error = await stderr.ConfigureAwait(false);
        return process.ExitCode == 0 ? output : throw SlurmCommandException.Failed(program, process.ExitCode, error);
    }
}

using System.CommandLine;
using Scanflow.Blocks;

namespace Scanflow.Host;

/// <summary><c>scanflow worker --plan FILE --shard N</c>: what each SLURM array task runs on its compute node. Calibrates
/// shard N of a plan that <c>scanflow calibrate/run --executor slurm</c> wrote and submitted, through the same graph as a
/// local run, and appends each scan's outcome to <c>results-N.jsonl</c> beside the plan; one line per scan on stdout (the
/// task's SLURM output file). It never opens the ledger: the coordinator on the login node records the results. Exit 0 when
/// every scan of the shard has a result (failed ones included); 1 when the plan or shard is unusable (one sentence on
/// stderr naming both); 143 when stopped by SIGTERM (<c>scancel</c>), its scans in flight cancelled and left without a result.</summary>
internal static class WorkerCommand
{
    public const string Name = "worker";

    public static Command Create()
    {
        var plan = new Option<string>("--plan")
        {
            Description = "The plan file the coordinator wrote into the shared work directory",
            HelpName = "FILE",
            Required = true,
        };
        var shard = new Option<int>("--shard")
        {
            Description = "The shard of the plan to calibrate: the array task's index ($SLURM_ARRAY_TASK_ID)",
            HelpName = "N",
            Required = true,
        };
        var command = new Command(
            Name,
            "Calibrate one shard of a SLURM plan; run by the SLURM array tasks that `scanflow calibrate/run --executor slurm` submits, not by hand")
        {
            plan,
            shard,
        };
        // The invocation's token fires on SIGTERM (scancel, preemption) and SIGINT: the worker cancels its scans in flight at once.
        command.SetAction((result, stop) => RunAsync(result.GetValue(plan)!, result.GetValue(shard), stop));
        return command;
    }

    private static async Task<int> RunAsync(string plan, int shard, CancellationToken stop)
    {
        try
        {
            return await new ShardWorker().RunAsync(plan, shard, Console.Out, stop);
        }
        catch (InvalidDataException e)
        {
            throw new UserErrorException(e.Message, e);
        }
    }
}

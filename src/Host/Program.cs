using System.CommandLine;

namespace Scanflow.Host;

internal static class Program
{
    public static int Main(string[] args)
    {
        var root = new RootCommand("Scanflow: calibrates raw CHAI scans (chai-raw HDF5) into science-ready L1 products.");
        root.Options.Add(Verbosity.Option);
        root.Subcommands.Add(SimulateCommand.Create());
        root.Subcommands.Add(CalibrateCommand.Create());
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(StatusCommand.Create());
        root.Subcommands.Add(ScansCommand.Create());
        root.Subcommands.Add(ShowCommand.Create());
        root.Subcommands.Add(ExportCommand.Create());
        root.Subcommands.Add(RetryCommand.Create());
        root.Subcommands.Add(VerifyCommand.Create());
        root.Subcommands.Add(ReportCommand.Create());
        root.Subcommands.Add(WorkerCommand.Create());
        var parsed = root.Parse(args);
        try
        {
            // The one place an exception becomes an exit code: one sentence and exit 1, the stack trace only with --verbose.
            var invocation = new InvocationConfiguration { EnableDefaultExceptionHandler = false };
            if (parsed.CommandResult.Command.Name == WorkerCommand.Name)
            {
                // A stopped worker cancels its scans and removes their temporary files before it exits; SLURM gives it
                // KillWait (30 s by default) before SIGKILL, so it waits that long, not System.CommandLine's 2 s.
                invocation.ProcessTerminationTimeout = TimeSpan.FromSeconds(30);
            }

            return parsed.Invoke(invocation);
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"scanflow {parsed.CommandResult.Command.Name}: {ErrorSentence.Of(e)}");
            if (Verbosity.Of(parsed))
            {
                Console.Error.WriteLine(e);
            }

            return 1;
        }
    }
}

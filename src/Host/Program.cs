using System.CommandLine;

namespace Scanflow.Host;

internal static class Program
{
    public static int Main(string[] args)
    {
        var root = new RootCommand("Scanflow: calibrates raw CHAI scans (chai-raw HDF5) into science-ready L1 products.");
        root.Subcommands.Add(SimulateCommand.Create());
        root.Subcommands.Add(CalibrateCommand.Create());
        root.Subcommands.Add(DemoCommand.Create());
        return root.Parse(args).Invoke();
    }
}

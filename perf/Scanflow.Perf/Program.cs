using BenchmarkDotNet.Running;

namespace Scanflow.Perf;

internal static class Program
{
    /// <summary><c>endtoend [options]</c> runs <see cref="EndToEndBenchmark"/>, <c>qaplots [options]</c>
    /// <see cref="QualityPlotTimings"/>; anything else goes to BenchmarkDotNet.</summary>
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "endtoend")
        {
            return EndToEndBenchmark.Run(args[1..]);
        }

        if (args.Length > 0 && args[0] == "qaplots")
        {
            return QualityPlotTimings.Run(args[1..]);
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}

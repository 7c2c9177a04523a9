using Scanflow.Engine.Formats;
using Scanflow.Engine.Simulation;

namespace Scanflow.Perf;

/// <summary>The ~500 MB noise-free science scans the I/O benchmarks read, one per raw layout. BenchmarkDotNet runs
/// every case in its own process, so a scan is simulated once into the temp folder and reused by later processes.</summary>
internal static class SimulatedScienceScans
{
    public const int Pixels = 16;
    public const int Channels = 8192;
    public const int OnDumps = 950;
    public const int OffDumps = 11;

    /// <summary>Bytes of ON counts in one scan: what a full read (or an L1 of the same shape) moves.</summary>
    public const long OnBytes = (long)OnDumps * Pixels * Channels * sizeof(float);

    public static string Root { get; } = Path.Combine(Path.GetTempPath(), "scanflow-perf", $"{Pixels}x{Channels}x{OnDumps}");

    /// <summary>The science scan of <paramref name="layout"/>, simulated first if an earlier process has not.</summary>
    public static string Ensure(RawLayout layout)
    {
        var directory = Path.Combine(Root, layout.ToString().ToLowerInvariant());
        if (!Directory.Exists(directory))
        {
            // Simulate beside the final folder and move it in whole, so an interrupted run never leaves half a scan.
            var staging = $"{directory}.staging-{Environment.ProcessId}";
            var truth = ScanSimulator.Run(new SimulationOptions
            {
                OutputDirectory = staging,
                Scans = 1,
                Pixels = Pixels,
                Channels = Channels,
                OnDumps = OnDumps,
                OffDumps = OffDumps,
                Noise = false,
                Layout = layout,
            });
            File.WriteAllText(Path.Combine(staging, "science.txt"), truth.Science[0].File);
            Directory.Move(staging, directory);
        }

        return Path.Combine(directory, File.ReadAllText(Path.Combine(directory, "science.txt")).Trim());
    }
}

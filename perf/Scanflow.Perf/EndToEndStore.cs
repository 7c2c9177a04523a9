using Scanflow.Engine.Model;
using Scanflow.Engine.Simulation;

namespace Scanflow.Perf;

/// <summary>The simulated store the end-to-end benchmark calibrates: one calibration scan and ten noise-free OTF
/// science scans of 32 pixels × 8192 channels × 200 ON dumps (1 MiB per dump), ~2.2 GB of raw files. Simulated once
/// into the temp folder and reused by later runs.</summary>
internal sealed class EndToEndStore
{
    public const int Scans = 10;
    public const int Pixels = 32;
    public const int Channels = 8192;
    public const int OnDumps = 200;
    public const int OffDumps = 12;

    private EndToEndStore(string directory, IReadOnlyList<string> rawFiles)
    {
        Directory = directory;
        RawFiles = rawFiles;
        RawBytes = rawFiles.Sum(f => new FileInfo(f).Length);
    }

    public static string Root { get; } = Path.Combine(Path.GetTempPath(), "scanflow-perf", $"e2e-{Scans}x{Pixels}x{Channels}x{OnDumps}");

    public string Directory { get; }

    /// <summary>Every raw file the graph reads: the science scans and the calibration scan.</summary>
    public IReadOnlyList<string> RawFiles { get; }

    /// <summary>Sum of the raw file sizes: the input bytes every variant's MB/s is counted in.</summary>
    public long RawBytes { get; }

    public static EndToEndStore Ensure()
    {
        var directory = Path.Combine(Root, "raw");
        if (!System.IO.Directory.Exists(directory))
        {
            // Simulate beside the final folder and move it in whole, so an interrupted run never leaves half a store.
            var staging = $"{directory}.staging-{Environment.ProcessId}";
            Console.Error.WriteLine($"Simulating the end-to-end store into {directory} (once) ...");
            ScanSimulator.Run(new SimulationOptions
            {
                OutputDirectory = staging,
                Scans = Scans,
                Mode = ObsMode.OnTheFly,
                Pixels = Pixels,
                Channels = Channels,
                OnDumps = OnDumps,
                OffDumps = OffDumps,
                Noise = false,
            });
            System.IO.Directory.Move(staging, directory);
        }

        var files = System.IO.Directory.GetFiles(directory, "*.h5", SearchOption.AllDirectories);
        Array.Sort(files, StringComparer.Ordinal);
        return new EndToEndStore(directory, files);
    }
}

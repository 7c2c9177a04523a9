using Scanflow.Engine.Formats;
using Scanflow.Engine.Planning;
using Scanflow.Engine.Processing;
using Scanflow.Engine.Simulation;
using Scanflow.Engine.Tests;

namespace Scanflow.Blocks.Tests;

/// <summary>A simulated store, its scans paired by the truth, and a run over them (no ledger) collecting outcomes.</summary>
internal sealed class GraphRun : IDisposable
{
    private readonly TempDirectory _directory = new();

    public GraphRun(params SimulationOptions[] stores)
    {
        Raw = _directory.Combine("raw");
        Output = _directory.Combine("l1");
        Directory.CreateDirectory(Output);
        SimulationTruth? truth = null;
        foreach (var store in stores)
        {
            truth = ScanSimulator.Run(store with { OutputDirectory = Raw });
        }

        Truth = truth!;
        Scans = [.. Truth.Science.Select(s => new PlannedScan(
            RawScanFile.ReadHeader(Path.Combine(Raw, s.File)), RawScanFile.ReadHeader(Path.Combine(Raw, Truth.CalibrationOf(s).File))))];
    }

    public string Raw { get; }

    public string Output { get; }

    public SimulationTruth Truth { get; }

    public List<PlannedScan> Scans { get; }

    public List<ScanOutcome> Outcomes { get; } = [];

    public PipelineOptions Options(long chunkBytes = ScanChunking.DefaultChunkBytes) => new() { OutputDirectory = Output, ChunkBytes = chunkBytes, Grace = TimeSpan.Zero };

    public async Task RunAsync(PipelineOptions options)
    {
        using var runner = new CalibrationRunner(options, NoScanLedger.Instance, Outcomes.Add);
        await runner.RunAsync(Scans, CancellationToken.None);
    }

    public void Dispose() => _directory.Dispose();
}

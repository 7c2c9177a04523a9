using System.Diagnostics;
using System.Globalization;
using Scanflow.Blocks;
using Scanflow.Engine.Planning;

namespace Scanflow.Perf;

/// <summary>
/// <c>Scanflow.Perf endtoend</c>: calibrates a simulated ~2.2 GB store with the default pipeline options, with every
/// stage at parallelism 1 / capacity 1 and no prefetch (the sequential baseline), and copies the same raw files with
/// fsync (the copy baseline), interleaved round by round. Not a BenchmarkDotNet class: BenchmarkDotNet runs each
/// case to the end in its own process, so variants of ~10 s could not be interleaved to cancel the drift of a shared
/// machine, and every run needs its output folder wiped first.
/// </summary>
internal static class EndToEndBenchmark
{
    public const string Default = "graph, default options";
    public const string Sequential = "graph, parallelism 1, no prefetch";
    public const string Copy = "copy + fsync";

    public static int Run(string[] args)
    {
        var rounds = 5;
        var observability = false;
        int? scanCount = null;
        var tuned = new PipelineOptions { OutputDirectory = "" };
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--rounds":
                    rounds = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--chunk-mb":
                    tuned = tuned with { ChunkBytes = (long)(double.Parse(args[++i], CultureInfo.InvariantCulture) * (1 << 20)) };
                    break;
                case "--stage":
                    tuned = WithStage(tuned, args[++i]);
                    break;
                case "--observability":
                    observability = true;
                    break;
                case "--scans":
                    scanCount = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                default:
                    Console.Error.WriteLine(
                        $"endtoend: unknown option {args[i]}; options: --rounds N, --chunk-mb X, --stage NAME=PARALLELISM/CAPACITY, --scans N, --observability");
                    return 1;
            }
        }

        var store = EndToEndStore.Ensure();
        var output = Path.Combine(EndToEndStore.Root, "out");
        var plan = StorePlanner.Plan([store.Directory], new PlanningOptions());
        if (scanCount is { } n)
        {
            plan = plan with { Scans = [.. plan.Scans.Take(n)] };
        }

        if (observability)
        {
            return ObservabilityOverhead.Run(plan, tuned with { OutputDirectory = output }, rounds);
        }
        var sequential = new PipelineOptions
        {
            OutputDirectory = output,
            Stages = PipelineStages.All.ToDictionary(s => s, s => s == PipelineStage.Record ? PipelineStages.Default(s) : new StageOptions(1, 1)),
            Prefetch = false,
        };
        tuned = tuned with { OutputDirectory = output };
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"Store: {plan.Scans.Count} science scans + {plan.Calibrations.Count} calibration, {store.RawFiles.Count} raw files, {store.RawBytes / 1e6:F0} MB, in {store.Directory}"));
        Console.WriteLine($"Default options: {Describe(tuned)}");
        Console.WriteLine($"Sequential:      {Describe(sequential)}");
        Console.WriteLine($"{rounds} rounds after one warm-up round; the variants' order rotates each round. MB/s = raw file bytes / wall time.");

        var variants = new (string Name, Func<EndToEndMeasurement> Run)[]
        {
            (Default, () => RunGraph(Default, tuned, plan)),
            (Sequential, () => RunGraph(Sequential, sequential, plan)),
            (Copy, () => RunCopy(store, output)),
        };
        var results = new List<(int Round, EndToEndMeasurement Measurement)>();
        for (var round = 0; round <= rounds; round++)
        {
            for (var k = 0; k < variants.Length; k++)
            {
                var (name, run) = variants[(round + k) % variants.Length];
                Wipe(output);
                var m = run();
                Wipe(output);
                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"round {round}{(round == 0 ? " (warm-up)" : "")}: {name,-36} {m.Elapsed.TotalSeconds,7:F2} s {store.RawBytes / 1e6 / m.Elapsed.TotalSeconds,8:F0} MB/s"));
                PrintStages(m);
                if (round > 0)
                {
                    results.Add((round, m));
                }
            }
        }

        Summarise(results, store.RawBytes);
        return 0;
    }

    /// <summary>One timed run of the graph over the plan, into an existing output folder; every scan must succeed.
    /// <paramref name="whileRunning"/> is called every 10 ms with the graph (the queue sampling is built in).</summary>
    internal static EndToEndMeasurement RunGraph(string name, PipelineOptions options, StorePlan plan, Action<CalibrationRunner>? whileRunning = null)
    {
        Directory.CreateDirectory(options.OutputDirectory);
        var outcomes = new List<ScanOutcome>();
        var samples = PipelineStages.All.ToDictionary(s => s, _ => (Queued: 0L, Busy: 0L));
        var sampleCount = 0;
        using var runner = new CalibrationRunner(options with { Grace = TimeSpan.Zero }, NoScanLedger.Instance, o =>
        {
            lock (outcomes)
            {
                outcomes.Add(o);
            }
        });
        var watch = Stopwatch.StartNew();
        var run = runner.RunAsync(plan.Scans, CancellationToken.None);
        while (!run.Wait(10))
        {
            whileRunning?.Invoke(runner);
            foreach (var a in runner.Activity())
            {
                var (q, b) = samples[a.Stage];
                samples[a.Stage] = (q + a.Queued, b + a.Busy);
            }

            sampleCount++;
        }

        run.GetAwaiter().GetResult();
        var elapsed = watch.Elapsed;
        if (outcomes.Count != plan.Scans.Count || outcomes.FirstOrDefault(o => o.Status != ScanOutcomeStatus.Succeeded) is { } bad)
        {
            throw new InvalidOperationException($"{name}: {outcomes.Count} outcomes for {plan.Scans.Count} scans; first not succeeded: {outcomes.FirstOrDefault(o => o.Status != ScanOutcomeStatus.Succeeded)?.Error}");
        }

        var busy = Enum.GetValues<PipelineStage>().ToDictionary(s => s, s => TimeSpan.FromTicks(outcomes.Sum(o => o.StageDurations.GetValueOrDefault(s).Ticks)));
        var activity = samples.ToDictionary(p => p.Key, p => sampleCount == 0 ? (0.0, 0.0) : (p.Value.Queued / (double)sampleCount, p.Value.Busy / (double)sampleCount));
        return new EndToEndMeasurement(name, elapsed, outcomes.Sum(o => o.BytesRead), busy, activity);
    }

    private static EndToEndMeasurement RunCopy(EndToEndStore store, string output)
    {
        Directory.CreateDirectory(output);
        var watch = Stopwatch.StartNew();
        var bytes = DurableStoreCopy.Run(store.RawFiles, output);
        return new EndToEndMeasurement(Copy, watch.Elapsed, bytes, new Dictionary<PipelineStage, TimeSpan>(), new Dictionary<PipelineStage, (double, double)>());
    }

    private static void PrintStages(EndToEndMeasurement m)
    {
        if (m.StageBusy.Count == 0)
        {
            return;
        }

        var stages = Enum.GetValues<PipelineStage>().Where(s => s != PipelineStage.Record);
        Console.WriteLine("    busy s (summed over scans): " + string.Join("  ", stages.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s} {m.StageBusy[s].TotalSeconds:F2}"))));
        Console.WriteLine("    mean queued / busy:         " + string.Join("  ", Enum.GetValues<PipelineStage>().Select(s => string.Create(CultureInfo.InvariantCulture, $"{s} {m.MeanActivity[s].Queued:F1}/{m.MeanActivity[s].Busy:F2}"))));
    }

    private static void Summarise(List<(int Round, EndToEndMeasurement Measurement)> results, long rawBytes)
    {
        double Rate(EndToEndMeasurement m) => rawBytes / 1e6 / m.Elapsed.TotalSeconds;
        double Median(IEnumerable<double> values)
        {
            var sorted = values.Order().ToArray();
            return sorted.Length == 0 ? double.NaN : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
        }

        var byRound = results.GroupBy(r => r.Round).Select(g => g.ToDictionary(r => r.Measurement.Variant, r => Rate(r.Measurement))).ToList();
        Console.WriteLine();
        Console.WriteLine("| Variant | Median MB/s | Min | Max |");
        Console.WriteLine("|---|---:|---:|---:|");
        foreach (var variant in new[] { Default, Sequential, Copy })
        {
            var rates = byRound.Select(r => r[variant]).ToArray();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {variant} | {Median(rates):F0} | {rates.Min():F0} | {rates.Max():F0} |"));
        }

        var speedup = byRound.Select(r => r[Default] / r[Sequential]).ToArray();
        var ofCopy = byRound.Select(r => r[Default] / r[Copy]).ToArray();
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"default / sequential: median {Median(speedup):F2}× (rounds {string.Join(", ", speedup.Select(x => x.ToString("F2", CultureInfo.InvariantCulture)))}); goal ≥ 1.5×"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"default / copy:       median {Median(ofCopy):P0} (rounds {string.Join(", ", ofCopy.Select(x => x.ToString("P0", CultureInfo.InvariantCulture)))}); goal ≥ 60 %"));
    }

    private static string Describe(PipelineOptions o) => string.Create(
        CultureInfo.InvariantCulture,
        $"chunk {o.ChunkBytes / (double)(1 << 20):F0} MiB, {string.Join(", ", PipelineStages.Configurable.Select(s => $"{PipelineStages.Name(s)} {o.Stage(s).MaxDegreeOfParallelism}/{o.Stage(s).BoundedCapacity}"))} (parallelism/capacity), prefetch {(o.Prefetch ? "on" : "off")}");

    private static PipelineOptions WithStage(PipelineOptions o, string term)
    {
        var parts = term.Split('=', '/');
        var stage = new StageOptions(int.Parse(parts[1], CultureInfo.InvariantCulture), int.Parse(parts[2], CultureInfo.InvariantCulture));
        return PipelineStages.TryParse(parts[0], out var named) ? o.WithStage(named, stage) : throw new ArgumentException($"--stage {term}: unknown stage {parts[0]}");
    }

    internal static void Wipe(string directory)
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}

using System.Diagnostics;
using System.Globalization;
using Scanflow.Blocks;
using Scanflow.Blocks.Tests;
using Scanflow.Engine.Quality;

namespace Scanflow.Perf;

/// <summary>
/// <c>Scanflow.Perf qaplots [--rounds N] [--docs DIR]</c>: times drawing and encoding each quality plot, and the whole
/// <see cref="QualityPlots.Render"/> (with its fsync'd writes), on a synthetic quality of CHAI's shape (64 pixels ×
/// 65,536 channels, 300 dumps × 1,024 waterfall columns) and a small one (8 × 1,024, 100 × 256); medians of N rounds
/// after a warm-up. <c>--docs docs/images</c> also writes the reviewed examples <c>qa-&lt;kind&gt;.png</c> shown in the
/// docs, drawn from the CHAI-shaped quality. Not BenchmarkDotNet: a round is hundreds of ms of mostly native Skia work.
/// </summary>
internal static class QualityPlotTimings
{
    public static int Run(string[] args)
    {
        var rounds = 5;
        string? docs = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--rounds":
                    rounds = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--docs":
                    docs = args[++i];
                    break;
                default:
                    Console.Error.WriteLine($"qaplots: unknown option {args[i]}; options: --rounds N, --docs DIR");
                    return 1;
            }
        }

        var chai = SyntheticScanQuality.Create(pixels: 64, channels: 65_536, dumps: 300, waterfallColumns: 1024);
        Time("64 pixels × 65,536 channels, waterfall 300 × 1,024", chai, rounds);
        Time("8 pixels × 1,024 channels, waterfall 100 × 256", SyntheticScanQuality.Create(8, 1024, 100, 256), rounds);
        if (docs is not null)
        {
            WriteExamples(chai, docs);
        }

        return 0;
    }

    private static void Time(string shape, ScanQuality quality, int rounds)
    {
        var output = Directory.CreateTempSubdirectory("scanflow-qaplots-");
        try
        {
            var perKind = QualityPlots.Kinds.ToDictionary(k => k.Kind, _ => new List<double>());
            var render = new List<double>();
            for (var round = -1; round < rounds; round++)
            {
                foreach (var (kind, draw) in QualityPlots.Kinds)
                {
                    var watch = Stopwatch.StartNew();
                    using (var plot = draw(quality))
                    {
                        _ = plot.GetImageBytes(QualityPlotStyle.Width, QualityPlotStyle.Height, ScottPlot.ImageFormat.Png);
                    }

                    if (round >= 0)
                    {
                        perKind[kind].Add(watch.Elapsed.TotalMilliseconds);
                    }
                    else { Console.WriteLine($"COLD {kind} {watch.Elapsed.TotalMilliseconds:F0} ms"); }
                }

                var total = Stopwatch.StartNew();
                var written = QualityPlots.Render(quality, output.FullName, (kind, e) => Console.Error.WriteLine($"{kind}: {e.Message}"));
                if (round >= 0)
                {
                    render.Add(total.Elapsed.TotalMilliseconds);
                }

                if (written.Count != QualityPlots.Kinds.Count)
                {
                    throw new InvalidOperationException($"{written.Count} of {QualityPlots.Kinds.Count} plots written");
                }
            }

            Console.WriteLine($"{shape}, median of {rounds} rounds:");
            foreach (var (kind, times) in perKind)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {kind,-10} {Median(times),8:0.0} ms  (draw + PNG encode)"));
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {"Render",-10} {Median(render),8:0.0} ms  (all five, written and fsync'd)"));
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    private static void WriteExamples(ScanQuality quality, string directory)
    {
        Directory.CreateDirectory(directory);
        foreach (var product in QualityPlots.Render(quality, directory, (kind, e) => Console.Error.WriteLine($"{kind}: {e}")))
        {
            // scan_001234_LFA.tsys.png → qa-tsys.png: the docs name the kind, not a scan.
            var kind = Path.GetFileNameWithoutExtension(product.Path).Split('.')[^1];
            var example = Path.Combine(directory, $"qa-{kind}.png");
            File.Move(product.Path, example, overwrite: true);
            Console.WriteLine($"wrote {example}");
        }
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }
}

using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Scanflow.Engine.Science;

namespace Scanflow.Perf;

/// <summary>The per-dump T_A* kernel over one dump of 64 pixels × 8192 channels, against a plain scalar loop of the
/// same formula in double (calibration.md §1.6, §7.1), and the §7.3 airmass correction of that dump.</summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 3, iterationCount: 10)]
[Config(typeof(KernelThroughputConfig))]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class AntennaTemperatureKernelBenchmarks
{
    public const int Pixels = 64;
    public const int Channels = 8192;
    public const int DumpLength = Pixels * Channels;

    private const double WeightBefore = 0.4;
    private const double WeightAfter = 0.6;
    private const double MeanAirmass = 1.5;

    private readonly float[] _on = new float[DumpLength];
    private readonly double[] _offBefore = new double[DumpLength];
    private readonly double[] _offAfter = new double[DumpLength];
    private readonly float[] _scale = new float[DumpLength];
    private readonly float[] _taStar = new float[DumpLength];
    private readonly float[] _calibrationTemperatureChange = new float[DumpLength];
    private readonly float[] _hotMinusSkyChange = new float[DumpLength];
    private readonly double[] _tauSignal = new double[Channels];
    private readonly float[] _factorScratch = new float[Channels];
    private readonly float[] _magnitudes = new float[Pixels];
    private double _dumpAirmass = 1.6;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        for (var i = 0; i < DumpLength; i++)
        {
            _offBefore[i] = 1e5 * (1 + (0.01 * random.NextDouble()));
            _offAfter[i] = 1e5 * (1 + (0.01 * random.NextDouble()));
            _on[i] = (float)(1.02e5 * (1 + (0.01 * random.NextDouble())));
            _scale[i] = (float)(1e-3 * (1 + random.NextDouble()));
            _taStar[i] = 1f;
            _calibrationTemperatureChange[i] = (float)(0.01 * (random.NextDouble() - 0.5));
            _hotMinusSkyChange[i] = (float)(0.03 * random.NextDouble());
        }

        for (var k = 0; k < Channels; k++)
        {
            _tauSignal[k] = 0.05 + (0.5 * random.NextDouble());
        }
    }

    /// <summary>The same arithmetic as one fused scalar loop: what the vectorised kernel has to beat.</summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory("T_A*")]
    public void ComputeScalarLoop()
    {
        float[] on = _on, scale = _scale, ta = _taStar;
        double[] before = _offBefore, after = _offAfter;
        for (var i = 0; i < on.Length; i++)
        {
            ta[i] = (float)((on[i] - ((WeightBefore * before[i]) + (WeightAfter * after[i]))) * scale[i]);
        }
    }

    [Benchmark]
    [BenchmarkCategory("T_A*")]
    public void Compute() =>
        AntennaTemperatureKernel.Compute(_on, _offBefore, _offAfter, WeightBefore, WeightAfter, _scale, _taStar);

    /// <summary>The counts check of formats.md <c>/dump_flag</c> bit 2 (all zero or non-finite) added naively: a
    /// max-magnitude pass per pixel row over the whole dump, then the kernel over the whole dump.</summary>
    [Benchmark]
    [BenchmarkCategory("T_A*")]
    public void CheckCountsThenCompute()
    {
        for (var p = 0; p < Pixels; p++)
        {
            _magnitudes[p] = AntennaTemperatureKernel.MaxCountMagnitude(_on.AsSpan(p * Channels, Channels));
        }

        AntennaTemperatureKernel.Compute(_on, _offBefore, _offAfter, WeightBefore, WeightAfter, _scale, _taStar);
    }

    /// <summary>What the engine runs per dump (<c>ScienceScanContext.CalibrateDumps</c>): pixel by pixel, the row's
    /// counts check then the kernel on that row, while it is still in cache.</summary>
    [Benchmark]
    [BenchmarkCategory("T_A*")]
    public void CheckCountsThenComputePerPixel()
    {
        for (var p = 0; p < Pixels; p++)
        {
            var row = new Range(p * Channels, (p + 1) * Channels);
            _magnitudes[p] = AntennaTemperatureKernel.MaxCountMagnitude(_on.AsSpan(row));
            AntennaTemperatureKernel.Compute(
                _on.AsSpan(row), _offBefore.AsSpan(row), _offAfter.AsSpan(row), WeightBefore, WeightAfter, _scale.AsSpan(row), _taStar.AsSpan(row));
        }
    }

    /// <summary>The engine's per-dump work with linear gain interpolation (calibration.md §7.10): the counts check, then
    /// the kernel with the scale interpolated per element, scale·(1 + u·q)/(1 + u·r), pixel by pixel.</summary>
    [Benchmark]
    [BenchmarkCategory("T_A*")]
    public void CheckCountsThenComputeInterpolatedPerPixel()
    {
        for (var p = 0; p < Pixels; p++)
        {
            var row = new Range(p * Channels, (p + 1) * Channels);
            _magnitudes[p] = AntennaTemperatureKernel.MaxCountMagnitude(_on.AsSpan(row));
            AntennaTemperatureKernel.ComputeInterpolated(
                _on.AsSpan(row), _offBefore.AsSpan(row), _offAfter.AsSpan(row), WeightBefore, WeightAfter, _scale.AsSpan(row),
                _calibrationTemperatureChange.AsSpan(row), _hotMinusSkyChange.AsSpan(row), 0.37, _taStar.AsSpan(row));
        }
    }

    /// <summary>The counts check alone: one vectorised max-magnitude pass per pixel row.</summary>
    [Benchmark]
    [BenchmarkCategory("Counts check")]
    public void MaxCountMagnitude()
    {
        for (var p = 0; p < Pixels; p++)
        {
            _magnitudes[p] = AntennaTemperatureKernel.MaxCountMagnitude(_on.AsSpan(p * Channels, Channels));
        }
    }

    /// <summary>The §7.3 factors of one dump (one exp per channel; the engine computes them once per dump and
    /// multiplies each pixel row by them in the kernel's loop). The dump's airmass alternates above and below A_mean so
    /// the correction always applies.</summary>
    [Benchmark]
    [BenchmarkCategory("Airmass")]
    public bool AirmassFactors()
    {
        _dumpAirmass = (2 * MeanAirmass) - _dumpAirmass;
        return AntennaTemperatureKernel.AirmassFactors(_tauSignal, MeanAirmass, _dumpAirmass, _factorScratch);
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Scanflow.Engine.Quality;

/// <summary>
/// Gathers a science scan's QA from its T_A* rows as they are calibrated, while each row is still in cache: per dump and
/// pixel the radiometer ratio (adjacent-channel differences, RMS/√2, over σ_pred of calibration.md §7.8), the time-summed
/// spectrum of every pixel, and the array-mean spectrum in rows of dumps and columns of channels for the waterfall. Blocks of one scan may
/// be calibrated concurrently: rows are independent, the sums are added under a lock once per block.
/// </summary>
internal sealed class ScanQualityAccumulator
{
    /// <summary>At most this many waterfall columns (channel bins).</summary>
    public const int MaxWaterfallColumns = 512;

    /// <summary>At most this many waterfall rows (runs of consecutive dumps): the waterfall's memory, and its plot's,
    /// stays bounded however long the scan.</summary>
    public const int MaxWaterfallRows = 256;

    private readonly int _pixels;
    private readonly int _channels;
    private readonly float[] _systemTemperature;
    private readonly byte[] _channelFlags;
    private readonly double[] _dumpNoise;
    private readonly float[] _spectrumSum;
    private readonly int[] _spectrumDumps;
    private readonly float[] _waterfallSum;
    private readonly int[] _waterfallCount;
    private readonly Lock _sums = new();

    /// <param name="pixels">Pixels per dump.</param>
    /// <param name="channels">Channels per pixel.</param>
    /// <param name="systemTemperatureK">[n_pix × n_chan] T_sys, K (NaN or non-positive where flagged).</param>
    /// <param name="channelFlags">[n_pix × n_chan] the product's channel flags: T_A* is NaN wherever one is set.</param>
    /// <param name="dumpNoise">[n_on] σ_pred/T_sys of each ON dump: √(1/(B·t_ON) + (w₀² + w₁²)/(B·t_OFF)) (§7.8).</param>
    public ScanQualityAccumulator(int pixels, int channels, float[] systemTemperatureK, byte[] channelFlags, double[] dumpNoise)
    {
        _channelFlags = channelFlags;
        _pixels = pixels;
        _channels = channels;
        _systemTemperature = systemTemperatureK;
        _dumpNoise = dumpNoise;
        _spectrumSum = new float[pixels * channels];
        _spectrumDumps = new int[pixels];
        WaterfallColumns = Math.Min(MaxWaterfallColumns, channels);
        WaterfallRows = Math.Min(MaxWaterfallRows, dumpNoise.Length);
        _waterfallSum = new float[WaterfallRows * WaterfallColumns];
        _waterfallCount = new int[WaterfallRows * WaterfallColumns];
        RadiometerRatios = new float[dumpNoise.Length * pixels];
        RadiometerRatios.AsSpan().Fill(float.NaN);
    }

    public int WaterfallColumns { get; }

    public int WaterfallRows { get; }

    /// <summary>[n_on × n_pix] the radiometer ratio of each dump's pixel row; NaN for a row without T_A*.</summary>
    public float[] RadiometerRatios { get; }

    /// <summary>Adds the calibrated rows of one block: <paramref name="taStar"/> holds rows (dump, pixel) for
    /// <paramref name="dumps"/> dumps from <paramref name="firstDump"/> and <paramref name="pixelCount"/> pixels from
    /// <paramref name="firstPixel"/>; <paramref name="rowValid"/> tells which rows have T_A* (not blanked).</summary>
    public void Add(int firstDump, int dumps, int firstPixel, int pixelCount, ReadOnlySpan<float> taStar, ReadOnlySpan<bool> rowValid)
    {
        for (var i = 0; i < dumps; i++)
        {
            for (var j = 0; j < pixelCount; j++)
            {
                if (rowValid[(i * pixelCount) + j])
                {
                    var p = firstPixel + j;
                    var row = taStar.Slice(((i * pixelCount) + j) * _channels, _channels);
                    var meanSquare = NormalisedDifferenceMeanSquare(row, _systemTemperature.AsSpan(p * _channels, _channels));
                    RadiometerRatios[((firstDump + i) * _pixels) + p] = (float)(Math.Sqrt(meanSquare / 2) / _dumpNoise[firstDump + i]);
                }
            }
        }

        lock (_sums)
        {
            for (var i = 0; i < dumps; i++)
            {
                var r = (int)((long)(firstDump + i) * WaterfallRows / _dumpNoise.Length);
                for (var j = 0; j < pixelCount; j++)
                {
                    if (!rowValid[(i * pixelCount) + j])
                    {
                        continue;
                    }

                    var p = firstPixel + j;
                    var row = taStar.Slice(((i * pixelCount) + j) * _channels, _channels);
                    AddFinite(row, _spectrumSum.AsSpan(p * _channels, _channels));
                    _spectrumDumps[p]++;
                    AddToColumns(row, _waterfallSum.AsSpan(r * WaterfallColumns, WaterfallColumns), _waterfallCount.AsSpan(r * WaterfallColumns, WaterfallColumns));
                }
            }
        }
    }

    /// <summary>[n_pix × n_chan] the time-averaged T_A*; NaN where no dump had a finite value.</summary>
    public float[] MeanSpectrum()
    {
        var mean = new float[_spectrumSum.Length];
        for (var p = 0; p < _pixels; p++)
        {
            for (var k = 0; k < _channels; k++)
            {
                var i = (p * _channels) + k;
                mean[i] = _spectrumDumps[p] == 0 || _channelFlags[i] != 0 ? float.NaN : _spectrumSum[i] / _spectrumDumps[p];
            }
        }

        return mean;
    }

    /// <summary>[rows × columns] the array-mean T_A* per run of dumps and column; NaN where nothing was finite.</summary>
    public float[] Waterfall()
    {
        var waterfall = new float[_waterfallSum.Length];
        for (var i = 0; i < waterfall.Length; i++)
        {
            waterfall[i] = _waterfallCount[i] == 0 ? float.NaN : _waterfallSum[i] / _waterfallCount[i];
        }

        return waterfall;
    }

    /// <summary>The first channel of waterfall column <paramref name="column"/> (round(linspace) edges, as the PWV fit's).</summary>
    public int ColumnStart(int column) => (int)Math.Round((double)column * _channels / WaterfallColumns, MidpointRounding.AwayFromZero);

    /// <summary>Mean over adjacent-channel pairs with both values finite of ((T[k+1] − T[k])/T_sys[k])²; the T_sys of
    /// neighbouring channels differ by far less than the noise's own spread, so one of them normalises the pair.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double NormalisedDifferenceMeanSquare(ReadOnlySpan<float> row, ReadOnlySpan<float> systemTemperature)
    {
        var n = row.Length - 1;
        ref var t = ref MemoryMarshal.GetReference(row);
        ref var s = ref MemoryMarshal.GetReference(systemTemperature);
        var sum = Vector256<float>.Zero;
        var count = Vector256<float>.Zero;
        var k = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; k <= n - Vector256<float>.Count; k += Vector256<float>.Count)
            {
                var z = (Vector256.LoadUnsafe(ref t, (nuint)(k + 1)) - Vector256.LoadUnsafe(ref t, (nuint)k)) / Vector256.LoadUnsafe(ref s, (nuint)k);
                var finite = Finite(z);
                sum += Vector256.ConditionalSelect(finite, z * z, Vector256<float>.Zero);
                count += Vector256.ConditionalSelect(finite, Vector256<float>.One, Vector256<float>.Zero);
            }
        }

        double total = Vector256.Sum(sum), pairs = Vector256.Sum(count);
        for (; k < n; k++)
        {
            var z = (row[k + 1] - row[k]) / systemTemperature[k];
            if (float.IsFinite(z))
            {
                total += z * z;
                pairs++;
            }
        }

        return pairs == 0 ? double.NaN : total / pairs;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AddFinite(ReadOnlySpan<float> row, Span<float> sum)
    {
        ref var t = ref MemoryMarshal.GetReference(row);
        ref var total = ref MemoryMarshal.GetReference(sum);
        var k = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; k <= row.Length - Vector256<float>.Count; k += Vector256<float>.Count)
            {
                var v = Vector256.LoadUnsafe(ref t, (nuint)k);
                (Vector256.LoadUnsafe(ref total, (nuint)k) + Vector256.ConditionalSelect(Finite(v), v, Vector256<float>.Zero)).StoreUnsafe(ref total, (nuint)k);
            }
        }

        for (; k < row.Length; k++)
        {
            if (float.IsFinite(row[k]))
            {
                sum[k] += row[k];
            }
        }
    }

    private void AddToColumns(ReadOnlySpan<float> row, Span<float> sum, Span<int> count)
    {
        for (var c = 0; c < WaterfallColumns; c++)
        {
            var start = ColumnStart(c);
            var (columnSum, columnCount) = SumFinite(row[start..ColumnStart(c + 1)]);
            sum[c] += columnSum;
            count[c] += columnCount;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (float Sum, int Count) SumFinite(ReadOnlySpan<float> values)
    {
        ref var t = ref MemoryMarshal.GetReference(values);
        var sum = Vector256<float>.Zero;
        var count = Vector256<float>.Zero;
        var k = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; k <= values.Length - Vector256<float>.Count; k += Vector256<float>.Count)
            {
                var v = Vector256.LoadUnsafe(ref t, (nuint)k);
                var finite = Finite(v);
                sum += Vector256.ConditionalSelect(finite, v, Vector256<float>.Zero);
                count += Vector256.ConditionalSelect(finite, Vector256<float>.One, Vector256<float>.Zero);
            }
        }

        float total = Vector256.Sum(sum);
        var n = (int)Vector256.Sum(count);
        for (; k < values.Length; k++)
        {
            if (float.IsFinite(values[k]))
            {
                total += values[k];
                n++;
            }
        }

        return (total, n);
    }

    /// <summary>All-ones lanes where the value is neither NaN nor ±∞.</summary>
    private static Vector256<float> Finite(Vector256<float> v) =>
        Vector256.LessThan(Vector256.Abs(v), Vector256.Create(float.PositiveInfinity));
}

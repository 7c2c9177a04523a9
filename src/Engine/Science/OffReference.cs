using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Scanflow.Engine.Model;

namespace Scanflow.Engine.Science;

/// <summary>
/// The OFF references of one science scan and the time interpolation of C_OFF for each ON dump
/// (calibration.md §1.7, §7.2). TP: every OFF dump is a reference. OTF: each run of OFF dumps with no ON
/// between them is one block, averaged and placed at its mean MJD.
/// </summary>
internal sealed class OffReference
{
    private readonly double[] _times;

    private OffReference(List<OffReferenceBlock> references)
    {
        References = references;
        _times = references.Select(reference => reference.MeanMjd).ToArray();
    }

    /// <summary>The references in time order.</summary>
    public IReadOnlyList<OffReferenceBlock> References { get; }

    /// <summary>Groups the OFF dumps into references (§7.2). An ON separates two OFFs only if strictly between them in time.</summary>
    public static OffReference Build(ObsMode mode, ReadOnlySpan<double> offMjd, ReadOnlySpan<double> onMjd) =>
        Build(mode, offMjd, onMjd, [.. Enumerable.Range(0, offMjd.Length)]);

    /// <summary>As <see cref="Build(ObsMode, ReadOnlySpan{double}, ReadOnlySpan{double})"/> over the OFF dumps
    /// <paramref name="usable"/> only (ascending indices into <paramref name="offMjd"/>): a zero-filled OFF dump is left
    /// out as if it had not been taken.</summary>
    public static OffReference Build(ObsMode mode, ReadOnlySpan<double> offMjd, ReadOnlySpan<double> onMjd, int[] usable)
    {
        ArgumentNullException.ThrowIfNull(usable);
        var selected = new double[usable.Length];
        for (int i = 0; i < usable.Length; i++)
        {
            selected[i] = offMjd[usable[i]];
        }

        var references = Group(mode, selected, onMjd);
        return new OffReference(references.ConvertAll(r => r with { OffDumpIndices = Array.ConvertAll(r.OffDumpIndices, i => usable[i]) }));
    }

    private static List<OffReferenceBlock> Group(ObsMode mode, ReadOnlySpan<double> offMjd, ReadOnlySpan<double> onMjd)
    {
        if (offMjd.IsEmpty)
        {
            throw new ArgumentException("A science scan needs at least one OFF dump.", nameof(offMjd));
        }

        foreach (double mjd in offMjd)
        {
            if (!double.IsFinite(mjd))
            {
                throw new ArgumentException("OFF times must be finite.", nameof(offMjd));
            }
        }

        // Time order, ties by dump index (a stable order).
        var order = Enumerable.Range(0, offMjd.Length).ToArray();
        var times = offMjd.ToArray();
        Array.Sort(order, (x, y) => times[x] != times[y] ? times[x].CompareTo(times[y]) : x.CompareTo(y));

        var references = new List<OffReferenceBlock>();
        switch (mode)
        {
            case ObsMode.TotalPower:
                foreach (int index in order)
                {
                    references.Add(new OffReferenceBlock([index], times[index]));
                }

                break;
            case ObsMode.OnTheFly:
                var on = onMjd.ToArray();
                Array.Sort(on);
                var block = new List<int> { order[0] };
                for (int j = 1; j < order.Length; j++)
                {
                    if (AnyStrictlyBetween(on, times[order[j - 1]], times[order[j]]))
                    {
                        references.Add(Block(block, times));
                        block.Clear();
                    }

                    block.Add(order[j]);
                }

                references.Add(Block(block, times));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(mode));
        }

        return references;
    }

    /// <summary>
    /// Linear interpolation in time between the bracketing references; an ON exactly at a reference uses it with
    /// weight 1; outside the span, or with a single reference, the nearest one with weight 1 and Extrapolated (§7.2).
    /// </summary>
    public OffInterpolation For(double onMjd)
    {
        if (double.IsNaN(onMjd))
        {
            throw new ArgumentOutOfRangeException(nameof(onMjd), onMjd, "The ON time must not be NaN.");
        }

        int last = _times.Length - 1;
        if (onMjd < _times[0] || _times.Length == 1)
        {
            return new OffInterpolation(0, 0, 1.0, 0.0, true);
        }

        if (onMjd > _times[last])
        {
            return new OffInterpolation(last, last, 1.0, 0.0, true);
        }

        // The last reference at or before the ON.
        int before = UpperBound(_times, onMjd) - 1;
        double t0 = _times[before];
        if (onMjd == t0 || before == last)
        {
            return new OffInterpolation(before, before, 1.0, 0.0, false);
        }

        double t1 = _times[before + 1];
        double span = t1 - t0;
        return new OffInterpolation(before, before + 1, (t1 - onMjd) / span, (onMjd - t0) / span, false);
    }

    /// <summary>Adds one OFF dump to <paramref name="sum"/> (zeros before the first): the OTF block average of §7.2 is
    /// accumulated in double, dump by dump in the block's order, so only one dump need be in memory; then
    /// <see cref="Mean"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Accumulate(ReadOnlySpan<float> dump, Span<double> sum)
    {
        if (sum.Length != dump.Length)
        {
            throw new ArgumentException($"The sum holds {sum.Length} values; a dump has {dump.Length}.", nameof(sum));
        }

        // The same widen-and-add per value as the scalar tail, eight at a time: at CHAI's shape a scan sums millions.
        int j = 0;
        ref float counts = ref MemoryMarshal.GetReference(dump);
        ref double total = ref MemoryMarshal.GetReference(sum);
        for (; j <= dump.Length - Vector256<float>.Count; j += Vector256<float>.Count)
        {
            var (lower, upper) = Vector256.Widen(Vector256.LoadUnsafe(ref counts, (nuint)j));
            (Vector256.LoadUnsafe(ref total, (nuint)j) + lower).StoreUnsafe(ref total, (nuint)j);
            (Vector256.LoadUnsafe(ref total, (nuint)(j + Vector256<double>.Count)) + upper).StoreUnsafe(ref total, (nuint)(j + Vector256<double>.Count));
        }

        for (; j < dump.Length; j++)
        {
            sum[j] += dump[j];
        }
    }

    /// <summary>Turns the sum of <paramref name="dumps"/> OFF dumps into their mean, kept in double: the kernel
    /// subtracts it from C_ON in double (§7.1).</summary>
    public static void Mean(Span<double> sum, int dumps)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dumps);
        TensorPrimitives.Divide(sum, dumps, sum);
    }

    private static OffReferenceBlock Block(List<int> indices, double[] times)
    {
        double sum = 0.0;
        foreach (int index in indices)
        {
            sum += times[index];
        }

        return new OffReferenceBlock([.. indices], sum / indices.Count);
    }

    private static bool AnyStrictlyBetween(double[] sorted, double low, double high)
    {
        int first = UpperBound(sorted, low);
        return first < sorted.Length && sorted[first] < high;
    }

    // Index of the first element > value.
    private static int UpperBound(double[] sorted, double value)
    {
        int lo = 0;
        int hi = sorted.Length;
        while (lo < hi)
        {
            int mid = lo + ((hi - lo) / 2);
            if (sorted[mid] <= value)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}

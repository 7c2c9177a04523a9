using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Scanflow.Engine.Science;

/// <summary>
/// The per-dump T_A* kernel (calibration.md §1.6 primary form, §7.3 airmass rule): float32 counts in, the ON − OFF
/// difference in double (§7.1), float32 T_A* out; vectorised, allocation-free. Spans are one pixel's row or one dump.
/// </summary>
internal static class AntennaTemperatureKernel
{
    /// <summary>Dumps whose airmass differs from A_mean by more than this fraction are corrected (§7.3).</summary>
    internal const double AirmassTolerance = 0.01;

    /// <summary>
    /// T_A* = scale·(C_ON − (w_B·C_OFF,before + w_A·C_OFF,after)), scale = T_cal/(C_hot − C_sky) (§1.6, §7.2), in
    /// double and stored as float (§7.1): the difference cancels most of the counts' digits, so forming it in float
    /// would double the error the float32 counts already carry. <paramref name="taStar"/> may be <paramref name="on"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Compute(
        ReadOnlySpan<float> on,
        ReadOnlySpan<double> offBefore,
        ReadOnlySpan<double> offAfter,
        double weightBefore,
        double weightAfter,
        ReadOnlySpan<float> scale,
        Span<float> taStar)
    {
        int n = on.Length;
        if (offBefore.Length != n || offAfter.Length != n || scale.Length != n || taStar.Length < n)
        {
            throw new ArgumentException($"ON, both OFFs and the scale must have one row's length ({n}); the destination at least that.");
        }

        ref var onRef = ref MemoryMarshal.GetReference(on);
        ref var beforeRef = ref MemoryMarshal.GetReference(offBefore);
        ref var afterRef = ref MemoryMarshal.GetReference(offAfter);
        ref var scaleRef = ref MemoryMarshal.GetReference(scale);
        ref var taRef = ref MemoryMarshal.GetReference(taStar);
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var wb = Vector256.Create(weightBefore);
            var wa = Vector256.Create(weightAfter);
            int step = Vector256<float>.Count;
            for (; i <= n - step; i += step)
            {
                var (onLow, onHigh) = Vector256.Widen(Vector256.LoadUnsafe(ref onRef, (nuint)i));
                var (scaleLow, scaleHigh) = Vector256.Widen(Vector256.LoadUnsafe(ref scaleRef, (nuint)i));
                var offLow = (Vector256.LoadUnsafe(ref beforeRef, (nuint)i) * wb) + (Vector256.LoadUnsafe(ref afterRef, (nuint)i) * wa);
                var offHigh = (Vector256.LoadUnsafe(ref beforeRef, (nuint)(i + (step / 2))) * wb) + (Vector256.LoadUnsafe(ref afterRef, (nuint)(i + (step / 2))) * wa);
                Vector256.Narrow((onLow - offLow) * scaleLow, (onHigh - offHigh) * scaleHigh).StoreUnsafe(ref taRef, (nuint)i);
            }
        }

        for (; i < n; i++)
        {
            double off = (weightBefore * offBefore[i]) + (weightAfter * offAfter[i]);
            taStar[i] = (float)((on[i] - off) * scale[i]);
        }
    }

    /// <summary>
    /// <see cref="Compute"/> with the gain interpolated between two calibrations (§7.10): the scale T_cal(t)/D(t) is
    /// scale₁·(1 + u·q)/(1 + u·r), q = T_cal,2/T_cal,1 − 1 and r = D₂/D₁ − 1 per channel, which equals
    /// ((1 − u)·T_cal,1 + u·T_cal,2)/((1 − u)·D₁ + u·D₂). The scale is formed in float32, as it is stored (a few ulps,
    /// ~2e-7 relative, and one division per 8 values: in double the divisions made the kernel 2.5× slower); the
    /// difference and its product with the scale in double, as in <see cref="Compute"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ComputeInterpolated(
        ReadOnlySpan<float> on,
        ReadOnlySpan<double> offBefore,
        ReadOnlySpan<double> offAfter,
        double weightBefore,
        double weightAfter,
        ReadOnlySpan<float> scale,
        ReadOnlySpan<float> calibrationTemperatureChange,
        ReadOnlySpan<float> hotMinusSkyChange,
        double u,
        Span<float> taStar)
    {
        int n = on.Length;
        if (offBefore.Length != n || offAfter.Length != n || scale.Length != n || calibrationTemperatureChange.Length != n
            || hotMinusSkyChange.Length != n || taStar.Length < n)
        {
            throw new ArgumentException($"ON, both OFFs, the scale and its changes must have one row's length ({n}); the destination at least that.");
        }

        ref var onRef = ref MemoryMarshal.GetReference(on);
        ref var beforeRef = ref MemoryMarshal.GetReference(offBefore);
        ref var afterRef = ref MemoryMarshal.GetReference(offAfter);
        ref var scaleRef = ref MemoryMarshal.GetReference(scale);
        ref var qRef = ref MemoryMarshal.GetReference(calibrationTemperatureChange);
        ref var rRef = ref MemoryMarshal.GetReference(hotMinusSkyChange);
        ref var taRef = ref MemoryMarshal.GetReference(taStar);
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var wb = Vector256.Create(weightBefore);
            var wa = Vector256.Create(weightAfter);
            var uu = Vector256.Create((float)u);
            var one = Vector256.Create(1f);
            int step = Vector256<float>.Count;
            for (; i <= n - step; i += step)
            {
                var (onLow, onHigh) = Vector256.Widen(Vector256.LoadUnsafe(ref onRef, (nuint)i));
                var q = Vector256.LoadUnsafe(ref qRef, (nuint)i);
                var r = Vector256.LoadUnsafe(ref rRef, (nuint)i);
                var (scaleLow, scaleHigh) = Vector256.Widen(Vector256.LoadUnsafe(ref scaleRef, (nuint)i) * (one + (uu * q)) / (one + (uu * r)));
                var offLow = (Vector256.LoadUnsafe(ref beforeRef, (nuint)i) * wb) + (Vector256.LoadUnsafe(ref afterRef, (nuint)i) * wa);
                var offHigh = (Vector256.LoadUnsafe(ref beforeRef, (nuint)(i + (step / 2))) * wb) + (Vector256.LoadUnsafe(ref afterRef, (nuint)(i + (step / 2))) * wa);
                Vector256.Narrow((onLow - offLow) * scaleLow, (onHigh - offHigh) * scaleHigh).StoreUnsafe(ref taRef, (nuint)i);
            }
        }

        for (; i < n; i++)
        {
            double off = (weightBefore * offBefore[i]) + (weightAfter * offAfter[i]);
            float s = scale[i] * (1f + ((float)u * calibrationTemperatureChange[i])) / (1f + ((float)u * hotMinusSkyChange[i]));
            taStar[i] = (float)((on[i] - off) * s);
        }
    }

    /// <summary>
    /// formats.md <c>/dump_flag</c> bit 2, first half: the largest |count| of one pixel's row of a dump, one vectorised
    /// pass. The counts are valid when it is positive and finite (<see cref="AreValidCounts"/>): all zero gives 0, and
    /// any NaN or ±∞ makes it non-finite. Run it before <see cref="Compute"/> overwrites the counts in place; on the same
    /// row, right before the kernel, it reads what the kernel then finds in cache. Compiled optimised from the first
    /// call, as <see cref="Compute"/> is: a run of seconds otherwise spends much of it in the unoptimised tiers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float MaxCountMagnitude(ReadOnlySpan<float> counts)
    {
        ref var start = ref MemoryMarshal.GetReference(counts);
        int n = counts.Length;
        int i = 0;
        float max = 0f;
        bool nan = false;
        if (Vector256.IsHardwareAccelerated && n >= Vector256<float>.Count)
        {
            var largest = Vector256<float>.Zero;
            var notANumber = Vector256<float>.Zero;
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var v = Vector256.LoadUnsafe(ref start, (nuint)i);
                largest = Vector256.MaxNative(largest, Vector256.Abs(v));
                notANumber |= ~Vector256.Equals(v, v); // NaN is the only value not equal to itself
            }

            nan = notANumber != Vector256<float>.Zero;
            for (int j = 0; j < Vector256<float>.Count; j++)
            {
                max = Math.Max(max, largest[j]);
            }
        }

        for (; i < n; i++)
        {
            nan |= float.IsNaN(counts[i]);
            max = Math.Max(max, Math.Abs(counts[i]));
        }

        return nan ? float.NaN : max;
    }

    /// <summary>formats.md <c>/dump_flag</c> bit 2, second half: counts whose largest |value| is this are usable, not
    /// all zero and free of NaN and ±∞.</summary>
    public static bool AreValidCounts(float maxMagnitude) => maxMagnitude > 0f && float.IsFinite(maxMagnitude);

    /// <summary>§7.3 per channel: exp(−τ_s[k]·(A_mean − A_t)) into <paramref name="factor"/> and true when the dump needs
    /// the correction; false (factor untouched) when |A_t − A_mean| ≤ 0.01·A_mean.</summary>
    public static bool AirmassFactors(ReadOnlySpan<double> tauSignal, double meanAirmass, double dumpAirmass, Span<float> factor)
    {
        if (factor.Length < tauSignal.Length)
        {
            throw new ArgumentException($"The factor needs {tauSignal.Length} values; got {factor.Length}.", nameof(factor));
        }

        if (!(Math.Abs(dumpAirmass - meanAirmass) > AirmassTolerance * meanAirmass))
        {
            return false;
        }

        double delta = meanAirmass - dumpAirmass;
        for (int k = 0; k < tauSignal.Length; k++)
        {
            factor[k] = (float)Math.Exp(-tauSignal[k] * delta);
        }

        return true;
    }
}

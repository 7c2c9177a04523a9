namespace Scanflow.Engine.Science;

/// <summary>
/// The OFF counts of one science scan checked dump by dump before any ON dump is calibrated (formats.md
/// <c>/channel_flag</c>, calibration.md §7.4): a NaN or ±∞ OFF value makes that pixel's channel bad (bit 0); an OFF dump
/// whose counts for a pixel are all zero makes all of that pixel's channels bad, and so the pixel (bit 1). An OFF dump
/// that is all zero for every pixel (never written) is not usable at all and is left out of the references instead.
/// It also keeps each pixel's largest finite |OFF count|, which bounds T_A* against float32 overflow.
/// </summary>
internal sealed class OffCountsCheck
{
    // Allocated at the first non-finite OFF value (rare): a bool per pixel and channel is 4 MiB at CHAI's shape.
    private bool[]? _nonFinite;
    private readonly bool[] _zeroFilled;

    public OffCountsCheck(int pixels, int channels)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pixels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        Pixels = pixels;
        Channels = channels;
        _zeroFilled = new bool[pixels];
        MaxMagnitude = new double[pixels];
    }

    public int Pixels { get; }

    public int Channels { get; }

    /// <summary>OFF values that were NaN or ±∞, over all dumps checked.</summary>
    public long NonFiniteValues { get; private set; }

    /// <summary>(OFF dump, pixel) pairs whose counts were all zero, in dumps that were not all zero.</summary>
    public long ZeroFilledPixelDumps { get; private set; }

    /// <summary>OFF dumps whose counts were all zero for every pixel.</summary>
    public int ZeroFilledDumps { get; private set; }

    /// <summary>Largest finite |OFF count| per pixel: no OFF reference (an average of OFF dumps) exceeds it.</summary>
    public double[] MaxMagnitude { get; }

    /// <summary>Checks one OFF dump, flat [p·K + k]; false when it is all zero for every pixel and must not be used.</summary>
    public bool Add(ReadOnlySpan<float> dump)
    {
        if (dump.Length != Pixels * Channels)
        {
            throw new ArgumentException($"An OFF dump holds {Pixels} × {Channels} values; got {dump.Length}.", nameof(dump));
        }

        Span<float> magnitudes = Pixels <= 256 ? stackalloc float[Pixels] : new float[Pixels];
        for (int p = 0; p < Pixels; p++)
        {
            magnitudes[p] = AntennaTemperatureKernel.MaxCountMagnitude(dump.Slice(p * Channels, Channels));
        }

        if (!magnitudes.ContainsAnyExcept(0f))
        {
            ZeroFilledDumps++;
            return false;
        }

        for (int p = 0; p < Pixels; p++)
        {
            float magnitude = magnitudes[p];
            if (float.IsFinite(magnitude))
            {
                Record(p, magnitude);
                continue;
            }

            // Rare: find which channels are non-finite, and the largest finite value among the rest.
            var row = dump.Slice(p * Channels, Channels);
            float finite = 0f;
            for (int k = 0; k < Channels; k++)
            {
                if (float.IsFinite(row[k]))
                {
                    finite = Math.Max(finite, Math.Abs(row[k]));
                }
                else
                {
                    _nonFinite ??= new bool[Pixels * Channels];
                    _nonFinite[(p * Channels) + k] = true;
                    NonFiniteValues++;
                }
            }

            Record(p, finite);
        }

        return true;
    }

    /// <summary>ORs BadChannel into <paramref name="flags"/> (flat [p·K + k]) wherever an OFF value was non-finite or the
    /// pixel had a zero-filled OFF dump, then re-applies the pixel rule of §7.4 bit 1. Returns the pixels now bad.</summary>
    public int ApplyTo(Span<ChannelFlags> flags)
    {
        if (flags.Length != Pixels * Channels)
        {
            throw new ArgumentException($"Flags must hold {Pixels} × {Channels} values; got {flags.Length}.", nameof(flags));
        }

        int badPixels = 0;
        for (int p = 0; p < Pixels; p++)
        {
            var row = flags.Slice(p * Channels, Channels);
            var nonFinite = _nonFinite is null ? default : _nonFinite.AsSpan(p * Channels, Channels);
            for (int k = 0; k < Channels; k++)
            {
                if (_zeroFilled[p] || (!nonFinite.IsEmpty && nonFinite[k]))
                {
                    row[k] |= ChannelFlags.BadChannel;
                }
            }

            if (HotColdSolution.FlagPixelIfMostlyBad(row))
            {
                badPixels++;
            }
        }

        return badPixels;
    }

    private void Record(int pixel, float magnitude)
    {
        if (magnitude == 0f)
        {
            _zeroFilled[pixel] = true;
            ZeroFilledPixelDumps++;
        }
        else
        {
            MaxMagnitude[pixel] = Math.Max(MaxMagnitude[pixel], magnitude);
        }
    }
}

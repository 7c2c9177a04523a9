using System.Buffers;
using Scanflow.Engine.Formats;
using Scanflow.Engine.Science;

namespace Scanflow.Engine.Processing;

/// <summary>Averaged OFF reference spectra, read from the file on first use and kept for the few references that ON
/// dumps in time order still need, so a TP scan with thousands of OFF dumps never holds them all.</summary>
internal sealed class OffSpectrumCache(ScienceScanReader reader, OffReference reference, int capacity = 4)
{
    private readonly Lock _gate = new();
    private readonly LinkedList<(int Index, double[] Spectrum)> _recent = new();

    public double[] Get(int referenceIndex)
    {
        lock (_gate)
        {
            for (var node = _recent.First; node is not null; node = node.Next)
            {
                if (node.Value.Index == referenceIndex)
                {
                    _recent.Remove(node);
                    _recent.AddFirst(node);
                    return node.Value.Spectrum;
                }
            }

            var spectrum = Read(reference.References[referenceIndex]);
            _recent.AddFirst((referenceIndex, spectrum));
            if (_recent.Count > capacity)
            {
                _recent.RemoveLast();
            }

            return spectrum;
        }
    }

    // One dump at a time into a pooled buffer: a block of 12 OFF dumps at CHAI's shape would be 192 MiB at once.
    private double[] Read(OffReferenceBlock block)
    {
        var length = reader.DumpLength;
        var spectrum = new double[length];
        var dump = ArrayPool<float>.Shared.Rent(length);
        try
        {
            foreach (var index in block.OffDumpIndices)
            {
                reader.ReadOffDumps(index, 1, dump.AsSpan(0, length));
                OffReference.Accumulate(dump.AsSpan(0, length), spectrum);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(dump);
        }

        OffReference.Mean(spectrum, block.OffDumpIndices.Length);
        return spectrum;
    }
}

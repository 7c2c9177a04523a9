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

    private double[] Read(OffReferenceBlock block)
    {
        var length = reader.DumpLength;
        var dumps = new float[block.OffDumpIndices.Length * length];
        for (var i = 0; i < block.OffDumpIndices.Length; i++)
        {
            reader.ReadOffDumps(block.OffDumpIndices[i], 1, dumps.AsSpan(i * length, length));
        }

        var spectrum = new double[length];
        OffReference.Average(dumps, length, spectrum);
        return spectrum;
    }
}

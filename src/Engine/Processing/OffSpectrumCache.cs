using System.Buffers;
using Scanflow.Engine.Formats;
using Scanflow.Engine.Science;

namespace Scanflow.Engine.Processing;

/// <summary>Averaged OFF reference spectra, read from the file on first use and kept for the few references that ON
/// dumps in time order still need, so a TP scan with thousands of OFF dumps never holds them all.</summary>
internal sealed class OffSpectrumCache(ScienceScanReader reader, OffReference reference, int capacity = 4)
{
    private readonly RecentValues<double[]> _spectra = new(index => Read(reader, reference.References[index]), capacity);

    public double[] Get(int referenceIndex) => _spectra.Get(referenceIndex);

    // One dump at a time into a pooled buffer: a block of 12 OFF dumps at CHAI's shape would be 192 MiB at once.
    private static double[] Read(ScienceScanReader reader, OffReferenceBlock block)
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

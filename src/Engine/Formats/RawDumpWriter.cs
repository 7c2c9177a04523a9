using Scanflow.Engine.Formats.Hdf5;

namespace Scanflow.Engine.Formats;

/// <summary>Writes the counts of one dump group (<c>/hot</c>, <c>/on</c>, …) block by block.</summary>
internal sealed class RawDumpWriter : IDisposable
{
    private readonly Hdf5Dataset _counts;
    private readonly long _pixels;
    private readonly long _channels;

    internal RawDumpWriter(Hdf5Dataset counts)
    {
        _counts = counts;
        _pixels = counts.Dimensions[1];
        _channels = counts.Dimensions[2];
    }

    public void WriteCounts(int first, int count, ReadOnlySpan<float> counts) =>
        _counts.Write(counts[..(int)(count * _pixels * _channels)], [first, 0, 0], [count, _pixels, _channels]);

    public void Dispose() => _counts.Dispose();
}

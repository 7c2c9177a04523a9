namespace Scanflow.Blocks;

/// <summary>The chunk buffers of the graph: at most <paramref name="buffers"/> exist at once, so chunk memory is bounded
/// by the memory limit whatever the stage capacities; Load waits for one to come back before reading further. Buffers
/// of the current scan shape are reused, so a run touches the same pages over and over instead of fresh ones.</summary>
internal sealed class ChunkBufferPool(int buffers) : IDisposable
{
    private readonly SemaphoreSlim _available = new(buffers, buffers);
    private readonly Lock _gate = new();
    private readonly Stack<float[]> _free = new();

    /// <summary>A buffer of <paramref name="length"/> floats, once fewer than the bound are out.</summary>
    public async Task<float[]> RentAsync(int length, CancellationToken cancellationToken)
    {
        await _available.WaitAsync(cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            // A buffer of another shape is dropped: shapes change between scans, not within one.
            while (_free.TryPop(out var buffer))
            {
                if (buffer.Length == length)
                {
                    return buffer;
                }
            }
        }

        return new float[length];
    }

    public void Return(float[]? buffer)
    {
        if (buffer is null)
        {
            return;
        }

        lock (_gate)
        {
            _free.Push(buffer);
        }

        _available.Release();
    }

    public void Dispose() => _available.Dispose();
}

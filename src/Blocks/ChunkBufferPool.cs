namespace Scanflow.Blocks;

/// <summary>Reuses chunk buffers of the current scan shape. Unlike the shared array pool it retains at most
/// <paramref name="maxRetained"/> arrays, so idle memory stays bounded by configuration too.</summary>
internal sealed class ChunkBufferPool(int maxRetained)
{
    private readonly Lock _gate = new();
    private readonly Stack<float[]> _free = new();

    public float[] Rent(int length)
    {
        lock (_gate)
        {
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
            if (_free.Count < maxRetained)
            {
                _free.Push(buffer);
            }
        }
    }
}

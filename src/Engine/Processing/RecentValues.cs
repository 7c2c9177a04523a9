namespace Scanflow.Engine.Processing;

/// <summary>The last few values of a per-scan quantity, by index, most recently used first: for what the chunks of a
/// scan need for a while in time order (OFF references, airmass factors) and that is too large to keep for every index
/// or too costly to compute per chunk. Computed under the lock, so concurrent callers compute an index once. Values are
/// never changed once handed out: a caller may go on using one after it left.</summary>
internal sealed class RecentValues<T>(Func<int, T> compute, int capacity)
{
    private readonly Lock _gate = new();
    private readonly LinkedList<(int Index, T Value)> _recent = new();

    public T Get(int index)
    {
        lock (_gate)
        {
            for (var node = _recent.First; node is not null; node = node.Next)
            {
                if (node.Value.Index == index)
                {
                    _recent.Remove(node);
                    _recent.AddFirst(node);
                    return node.Value.Value;
                }
            }

            var value = compute(index);
            _recent.AddFirst((index, value));
            if (_recent.Count > capacity)
            {
                _recent.RemoveLast();
            }

            return value;
        }
    }
}

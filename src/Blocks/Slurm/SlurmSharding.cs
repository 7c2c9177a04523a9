namespace Scanflow.Blocks;

/// <summary>Splits a submission's scans into shards of similar total size: as many shards as the target size asks for,
/// each scan (largest first) to the lightest shard. A shard never splits a scan.</summary>
internal static class SlurmSharding
{
    public static IReadOnlyList<IReadOnlyList<T>> Split<T>(IReadOnlyList<T> items, Func<T, long> bytes, long shardBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(shardBytes, 1);
        var total = items.Sum(bytes);
        var count = (int)Math.Clamp((total + shardBytes - 1) / shardBytes, 1, Math.Max(1, items.Count));
        var shards = Enumerable.Range(0, count).Select(_ => new List<T>()).ToArray();
        var loads = new long[count];
        foreach (var item in items.OrderByDescending(bytes))
        {
            var lightest = Array.IndexOf(loads, loads.Min());
            shards[lightest].Add(item);
            loads[lightest] += bytes(item);
        }

        return shards;
    }
}

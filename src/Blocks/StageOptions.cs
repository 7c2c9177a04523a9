namespace Scanflow.Blocks;

/// <summary>Parallelism and queue bound of one Dataflow block.</summary>
public sealed record StageOptions(int MaxDegreeOfParallelism, int BoundedCapacity);

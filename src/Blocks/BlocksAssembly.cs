namespace Scanflow.Blocks;

/// <summary>Marker for the Dataflow blocks assembly; the graph arrives with the streaming-engine issue.</summary>
internal static class BlocksAssembly;

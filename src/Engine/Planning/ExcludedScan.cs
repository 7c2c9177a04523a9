namespace Scanflow.Engine.Planning;

/// <summary>A file, directory or science scan left out of a plan, and the sentence that says why.</summary>
/// <param name="FilePath">The file (or, for a directory that cannot be listed, the directory).</param>
/// <param name="ScanId">Null when the header could not be read.</param>
/// <param name="Kind">A failure, or left out by the selection.</param>
/// <param name="Reason">The sentence that says why.</param>
public sealed record ExcludedScan(string FilePath, long? ScanId, ExclusionKind Kind, string Reason);

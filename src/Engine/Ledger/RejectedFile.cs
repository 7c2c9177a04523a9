namespace Scanflow.Engine.Ledger;

/// <summary>A version (size, mtime) of a drop-directory file the service refused, and why; recorded once per version.</summary>
public sealed record RejectedFile(string Path, string Reason, long Size, DateTimeOffset MtimeUtc, DateTimeOffset RejectedUtc);

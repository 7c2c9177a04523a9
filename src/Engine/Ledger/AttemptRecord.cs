namespace Scanflow.Engine.Ledger;

/// <summary>One attempt at a row: which run, how it ended, how long each stage took, and the inputs it saw.</summary>
public sealed record AttemptRecord(
    long RowId,
    long ScanId,
    string Band,
    int Attempt,
    string RunId,
    ScanStatus Status,
    string? Stage,
    string? Error,
    FailureKind? FailureKind,
    string L1Path,
    string? L1Sha256,
    DateTimeOffset StartedUtc,
    DateTimeOffset? FinishedUtc,
    IReadOnlyDictionary<string, TimeSpan> StageDurations,
    string EngineVersion,
    string ConfigSha256,
    string InputSha256);

namespace Scanflow.Host.Report;

/// <summary>What <c>index.html</c> shows: the summary line and one row per ledger row.</summary>
internal sealed record IndexPage(string Generated, string Ledger, string Counts, string? Since, IReadOnlyList<IndexRow> Rows);

namespace Scanflow.Host.Report;

/// <summary>One row of the index table, as text; each <c>…Sort</c> is the invariant number the sorter compares (empty when unknown).</summary>
internal sealed record IndexRow(
    string ScanId,
    string Page,
    string Status,
    string Band,
    string Mode,
    string Source,
    string Start,
    string StartSort,
    string Pwv,
    string PwvSort,
    string Tsys,
    string TsysSort,
    string Ratio,
    string RatioSort,
    bool Suspect,
    string Flagged,
    string FlaggedSort);

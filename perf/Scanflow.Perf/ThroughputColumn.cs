using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Scanflow.Perf;

/// <summary>Units moved per second (MB/s, dumps/s) from the median time of one operation that moves a known amount;
/// the median, because on a shared machine one stalled iteration of five would drag the mean.</summary>
internal sealed class ThroughputColumn(string columnName, double unitsPerOperation, string legend) : IColumn
{
    public string Id => nameof(ThroughputColumn) + "." + ColumnName;

    public string ColumnName { get; } = columnName;

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend { get; } = legend;

    /// <summary>Units per second for a benchmark case, or null when it has no result.</summary>
    public static double? PerSecond(Summary summary, BenchmarkCase benchmarkCase, double unitsPerOperation) =>
        summary[benchmarkCase]?.ResultStatistics?.Median is { } nanoseconds and > 0 ? unitsPerOperation / (nanoseconds * 1e-9) : null;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) =>
        PerSecond(summary, benchmarkCase, unitsPerOperation) is { } value ? value.ToString("N1", CultureInfo.InvariantCulture) : "NA";

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}

using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Scanflow.Perf;

/// <summary>Throughput of a case divided by the throughput of the baseline of its group (same bytes, same run):
/// the figure the ≥ 70 % target is stated in. BenchmarkDotNet's own Ratio is the inverse, a ratio of mean times.</summary>
internal sealed class ThroughputRatioColumn : IColumn
{
    public string Id => nameof(ThroughputRatioColumn);

    public string ColumnName => "vs baseline";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 1;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Throughput ÷ throughput of the baseline in the same category and parameters (baseline median ÷ median)";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var baseline = summary.GetBaseline(summary.GetLogicalGroupKey(benchmarkCase));
        var median = summary[benchmarkCase]?.ResultStatistics?.Median;
        var baselineMedian = baseline is null ? null : summary[baseline]?.ResultStatistics?.Median;
        return median is > 0 && baselineMedian is > 0 ? (baselineMedian.Value / median.Value).ToString("P0", CultureInfo.InvariantCulture) : "NA";
    }

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}

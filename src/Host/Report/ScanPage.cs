namespace Scanflow.Host.Report;

/// <summary>What <c>scan_&lt;id&gt;_&lt;BAND&gt;.html</c> shows: status, plots, QA metrics, provenance. A scan without a
/// product (failed, waiting, pending) has its status and error and no plots.</summary>
internal sealed record ScanPage(
    string Title,
    string Status,
    string? Error,
    IReadOnlyList<LabelledValue> Summary,
    IReadOnlyList<PlotImage> Plots,
    IReadOnlyList<string> Problems,
    IReadOnlyList<LabelledValue> Quality,
    IReadOnlyList<PixelRow> Pixels,
    IReadOnlyList<LabelledValue> Provenance);

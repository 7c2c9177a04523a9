namespace Scanflow.Host.Report;

/// <summary>One plot on a scan page: its copy under <c>images/</c>, its alt text and its size in pixels.</summary>
internal sealed record PlotImage(string Kind, string Src, string Alt, int Width, int Height);

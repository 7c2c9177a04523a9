namespace Scanflow.Host.Report;

/// <summary>One line of a definition list on a scan page.</summary>
internal sealed record LabelledValue(string Label, string Value);

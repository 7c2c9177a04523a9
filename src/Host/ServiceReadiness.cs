using System.Data.Common;
using Microsoft.Extensions.Options;
using Scanflow.Engine.Ledger;

namespace Scanflow.Host;

/// <summary><c>/readyz</c>: the service can do its work when the ledger opens and answers a query, the drop and
/// output directories exist and take a file, and no pipeline stage has faulted. Each failing check is one line.</summary>
internal sealed class ServiceReadiness(IOptions<ServiceOptions> settings, IngestionStatus ingestion)
{
    public IReadOnlyList<string> Problems()
    {
        var o = settings.Value;
        var problems = new List<string>();
        var ledger = Path.GetFullPath(string.IsNullOrWhiteSpace(o.Ledger) ? Path.Combine(o.Output, LedgerWriter.DefaultFileName) : o.Ledger);
        try
        {
            // Opening checks the schema: one small query on a read-only connection, never blocking the writer (WAL).
            using var reader = LedgerReader.Open(ledger);
        }
        catch (Exception e) when (e is FileNotFoundException or InvalidOperationException or DbException or IOException or UnauthorizedAccessException)
        {
            problems.Add($"ledger: {ledger} cannot be read: {e.Message}");
        }

        foreach (var (name, directory) in new[] { ("drop", o.Drop), ("output", o.Output) })
        {
            var full = Path.GetFullPath(directory);
            if (DirectoryProbe.Unwritable(full) is { } reason)
            {
                problems.Add($"{name}: {full} is not a writable directory: {reason}");
            }
        }

        switch (ingestion.Pipeline)
        {
            case null:
                problems.Add("pipeline: not started yet");
                break;
            case { IsFaulted: true } faulted:
                problems.Add($"pipeline: a stage faulted: {faulted.Exception?.GetBaseException().Message}");
                break;
        }

        return problems;
    }
}

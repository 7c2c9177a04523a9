using System.Data.Common;
using Scanflow.Engine.Ledger;

namespace Scanflow.Host;

/// <summary><c>/readyz</c>: the service can do its work when the ledger opens and answers a query, the drop directory
/// can be read, the output directory takes a file, intake is not paused for lack of space, and no pipeline stage has
/// faulted. Each failing check is one line.</summary>
internal sealed class ServiceReadiness(RunSettings settings, IngestionStatus ingestion)
{
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        var ledger = settings.Ledger;
        try
        {
            // Opening checks the schema: one small query on a read-only connection, never blocking the writer (WAL).
            using var reader = LedgerReader.Open(ledger);
        }
        catch (Exception e) when (e is FileNotFoundException or InvalidOperationException or DbException or IOException or UnauthorizedAccessException)
        {
            problems.Add($"ledger: {ledger} cannot be read: {e.Message}");
        }

        // The drop directory is only read (the systemd unit mounts it read-only); the output directory must take files.
        var drop = settings.Service.Drop;
        if (DirectoryProbe.Unreadable(drop) is { } unreadable)
        {
            problems.Add($"drop: {drop} cannot be read: {unreadable}");
        }

        var output = settings.Output;
        if (DirectoryProbe.Unwritable(output) is { } unwritable)
        {
            problems.Add($"output: {output} is not writable: {unwritable}");
        }

        if (ingestion.Paused is { } paused)
        {
            problems.Add($"intake: paused: {paused}");
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

using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Scanflow.Engine.Ledger;

namespace Scanflow.Host.Report;

/// <summary>
/// The QA report <c>scanflow run</c> keeps current in <c>Scanflow:ReportDir</c> (<see cref="ReportSite"/>, as
/// <c>scanflow report</c> writes it): written once the ledger is open and again after the ledger changes (a scan
/// recorded, waiting or given up on), on its own task and one write at a time. A burst of scans is one write at most
/// every <see cref="MinimumInterval"/>, longer when a write is slow, so the report never takes more than a fifth of one
/// core from the pipeline. A write that fails is a warning and is tried again after the next change; it never stops
/// the service. On stop, the scans drained last are written once more.
/// </summary>
internal sealed class LiveReport(RunSettings settings, TimeProvider time, ILogger<LiveReport> logger) : BackgroundService
{
    public static readonly TimeSpan MinimumInterval = TimeSpan.FromSeconds(5);

    /// <summary>The pause after a write is at least this many times the write's own duration.</summary>
    private const int PauseFactor = 4;

    /// <summary>The last write on stop is cut short after this, to stay within the host's stop margin.</summary>
    private static readonly TimeSpan FinalWriteBudget = TimeSpan.FromSeconds(10);

    // One pending change at most: changes while a write runs or while it pauses are one more write, not one each.
    // Continuations are not run synchronously (the default), so a write never runs on the thread that signalled.
    private readonly Channel<bool> _changes = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    // Why the last write failed (null: it did not): a lasting problem is one warning, not one per scan.
    private string? _problem;

    public string Directory => settings.Service.ReportDirectory;

    /// <summary>The ledger changed; returns at once (called from the pipeline's outcome callback and the ingestion loop).</summary>
    public void LedgerChanged() => _changes.Writer.TryWrite(true);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var pending = false;
        try
        {
            while (true)
            {
                await _changes.Reader.ReadAsync(stoppingToken);
                pending = true;
                var took = Write(stoppingToken);
                pending = false;
                await Task.Delay(took * PauseFactor > MinimumInterval ? took * PauseFactor : MinimumInterval, time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the ingestion service, stopped first, has drained; what it recorded last is written below.
        }

        if (pending || _changes.Reader.TryRead(out _))
        {
            using var budget = new CancellationTokenSource(FinalWriteBudget, time);
            try
            {
                Write(budget.Token);
            }
            catch (OperationCanceledException)
            {
                Log.ReportCutShort(logger, Directory, FinalWriteBudget.TotalSeconds);
            }
        }
    }

    /// <summary>Writes the whole report once; returns how long it took. Only <paramref name="cancellation"/> is thrown:
    /// anything else is a warning, so nothing here can stop the service.</summary>
    private TimeSpan Write(CancellationToken cancellation)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            using var reader = LedgerReader.Open(settings.Ledger);
            var scans = new ReportSite(Directory).Write(reader, settings.Ledger, since: null, time.GetUtcNow(), cancellation);
            Log.ReportWritten(logger, scans, Directory, watch.Elapsed.TotalSeconds);
            if (_problem is not null)
            {
                Log.ReportWritable(logger, Directory);
                _problem = null;
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellation.IsCancellationRequested)
        {
            var problem = ErrorSentence.Of(e);
            if (_problem is null)
            {
                Log.ReportUnwritable(logger, Directory, problem);
            }

            Log.ReportUnwritableDetail(logger, e);
            _problem = problem;
        }

        return watch.Elapsed;
    }
}

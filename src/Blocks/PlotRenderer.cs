using System.Collections.Concurrent;
using Scanflow.Engine.Ledger;
using Scanflow.Engine.Quality;

namespace Scanflow.Blocks;

/// <summary>
/// Draws the plots that recorded products owe, off the calibration's path: one thread at a lowered priority (nice 19),
/// in the order the products were recorded, each scan's plots recorded in a transaction of their own once drawn
/// (<see cref="IScanLedger.PlotsDrawn"/>), then its plot data file removed. While the queue is full the caller waits: a
/// run that draws slower than it calibrates is held back rather than holding an unbounded backlog in memory.
/// </summary>
/// <remarks>
/// A thread inherits its creator's nice value, and .NET creates thread-pool workers on the thread that queues work when
/// none is idle; so the plot thread queues nothing (no callbacks, no task continuations): it hands each outcome to a
/// second thread of normal priority, which tells the caller and completes <see cref="CompleteAsync"/>.
/// </remarks>
internal sealed class PlotRenderer : IDisposable
{
    /// <summary>Scans whose plots may wait to be drawn; each holds a few hundred KiB of plot data.</summary>
    private const int Capacity = 16;

    private const int Nice = 19;

    private readonly BlockingCollection<(PendingPlots Plots, ScanQuality? Quality)> _queue = new(Capacity);
    private readonly BlockingCollection<PlotsOutcome> _outcomes = [];
    private readonly IScanLedger _ledger;
    private readonly Action<PlotsOutcome>? _drawn;
    private readonly Thread _drawing;
    private readonly Thread _telling;
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _abandoned;

    public PlotRenderer(IScanLedger ledger, Action<PlotsOutcome>? drawn)
    {
        _ledger = ledger;
        _drawn = drawn;
        _drawing = new Thread(DrawQueued) { IsBackground = true, Name = "scanflow plots" };
        _telling = new Thread(TellDrawn) { IsBackground = true, Name = "scanflow plots drawn" };
        _telling.Start();
        _drawing.Start();
    }

    /// <summary>Queues the plots of <paramref name="plots"/>, drawn from <paramref name="quality"/> or, when null, from
    /// its plot data file.</summary>
    public void Enqueue(PendingPlots plots, ScanQuality? quality) => _queue.Add((plots, quality));

    /// <summary>Draws and records the plots of <paramref name="plots"/> on the calling thread and tells the caller.</summary>
    public void Draw(PendingPlots plots, ScanQuality? quality) => Tell(DrawAndRecord(plots, quality));

    /// <summary>Draws what is queued, then ends.</summary>
    public Task CompleteAsync()
    {
        _queue.CompleteAdding();
        return _completion.Task;
    }

    /// <summary>Ends after the plots being drawn: what is still queued stays owed in the ledger, for the next run.</summary>
    public void Dispose()
    {
        _abandoned = true;
        _queue.CompleteAdding();
        _drawing.Join();
        _telling.Join();
        _queue.Dispose();
        _outcomes.Dispose();
    }

    private PlotsOutcome DrawAndRecord(PendingPlots plots, ScanQuality? quality)
    {
        var warnings = new List<string>();
        IReadOnlyList<ProductFile> drawn = [];
        try
        {
            quality ??= PlotDataFile.Read(plots.DataPath);
            drawn = QualityPlots.Render(quality, Path.GetDirectoryName(plots.DataPath)!, (kind, e) => warnings.Add($"plot {kind} not drawn: {e.Message}"));
        }
        catch (Exception e)
        {
            // Whatever goes wrong costs these plots only: the product is recorded already.
            warnings.Add($"plots not drawn: {e.Message}");
        }

        bool recorded;
        try
        {
            recorded = _ledger.PlotsDrawn(plots, drawn);
        }
        catch (Exception e)
        {
            // The plots stay owed, with their data file: the next run draws them again.
            warnings.Add($"plots not recorded ({e.Message}); the next run draws them again");
            return new PlotsOutcome(plots.ScanId, plots.Band, drawn, warnings, Recorded: false);
        }

        if (recorded)
        {
            // Kept otherwise: a later attempt of the scan may have published its own plot data under the same name.
            SidecarFile.Remove(plots.DataPath);
        }

        return new PlotsOutcome(plots.ScanId, plots.Band, drawn, warnings, recorded);
    }

    private void Tell(PlotsOutcome outcome)
    {
        try
        {
            _drawn?.Invoke(outcome);
        }
        catch (Exception)
        {
            // A caller's bug in being told must not stop the plots of the scans after this one.
        }
    }

    private void DrawQueued()
    {
        ThreadNiceness.Lower(Nice);
        foreach (var (plots, quality) in _queue.GetConsumingEnumerable())
        {
            if (!_abandoned)
            {
                _outcomes.Add(DrawAndRecord(plots, quality));
            }
        }

        _outcomes.CompleteAdding();
    }

    private void TellDrawn()
    {
        foreach (var outcome in _outcomes.GetConsumingEnumerable())
        {
            Tell(outcome);
        }

        _completion.SetResult();
    }
}

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
internal sealed class PlotRenderer : IDisposable
{
    /// <summary>Scans whose plots may wait to be drawn; each holds a few hundred KiB of plot data.</summary>
    private const int Capacity = 16;

    private const int Nice = 19;

    private readonly BlockingCollection<(PendingPlots Plots, ScanQuality? Quality)> _queue = new(Capacity);
    private readonly IScanLedger _ledger;
    private readonly Action<PlotsOutcome>? _drawn;
    private readonly Thread _thread;
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _abandoned;

    public PlotRenderer(IScanLedger ledger, Action<PlotsOutcome>? drawn)
    {
        _ledger = ledger;
        _drawn = drawn;
        _thread = new Thread(DrawQueued) { IsBackground = true, Name = "scanflow plots" };
        _thread.Start();
    }

    /// <summary>Queues the plots of <paramref name="plots"/>, drawn from <paramref name="quality"/> or, when null, from
    /// its plot data file.</summary>
    public void Enqueue(PendingPlots plots, ScanQuality? quality) => _queue.Add((plots, quality));

    /// <summary>Draws and records the plots of <paramref name="plots"/> on the calling thread.</summary>
    public void Draw(PendingPlots plots, ScanQuality? quality)
    {
        var warnings = new List<string>();
        IReadOnlyList<ProductFile> drawn = [];
        try
        {
            quality ??= PlotDataFile.Read(plots.DataPath);
            drawn = QualityPlots.Render(quality, Path.GetDirectoryName(plots.DataPath)!, (kind, e) => warnings.Add($"plot {kind} not drawn: {e.Message}"));
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
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
            _drawn?.Invoke(new PlotsOutcome(plots.ScanId, plots.Band, drawn, warnings, Recorded: false));
            return;
        }

        if (recorded)
        {
            // Kept otherwise: a later attempt of the scan may have published its own plot data under the same name.
            SidecarFile.Remove(plots.DataPath);
        }

        _drawn?.Invoke(new PlotsOutcome(plots.ScanId, plots.Band, drawn, warnings, recorded));
    }

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
        _thread.Join();
        _queue.Dispose();
    }

    private void DrawQueued()
    {
        ThreadNiceness.Lower(Nice);
        try
        {
            foreach (var (plots, quality) in _queue.GetConsumingEnumerable())
            {
                if (!_abandoned)
                {
                    Draw(plots, quality);
                }
            }

            _completion.SetResult();
        }
        catch (Exception e)
        {
            _completion.SetException(e);
        }
    }
}

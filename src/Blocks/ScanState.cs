using System.Diagnostics;
using Scanflow.Engine.Formats;
using Scanflow.Engine.Planning;
using Scanflow.Engine.Processing;

namespace Scanflow.Blocks;

/// <summary>What the chunks of one scan share as they flow: the scan being calibrated (reader, calibration, product),
/// the first failure (which makes every later stage skip the scan's chunks), and per-stage busy time.</summary>
internal sealed class ScanState(ScanJob job, DateTimeOffset started)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<PipelineStage, TimeSpan> _durations = [];

    public ScanJob Job { get; } = job;

    public PlannedScan Scan => Job.Scan;

    public DateTimeOffset Started { get; } = started;

    /// <summary>The scan's calibration steps, once Load has opened it.</summary>
    public ScienceScanCalibration? Work { get; set; }

    public long BytesRead;

    /// <summary>The scan's spans; null when nobody listens.</summary>
    public ScanTelemetry? Telemetry { get; init; }

    /// <summary>Set by Write after the scan's last chunk, for Record.</summary>
    public ScanOutcome? Outcome { get; set; }

    public PipelineStage? FailedStage { get; private set; }

    public string? Error { get; private set; }

    /// <summary>The full type name of the first failure's exception (the spans' <c>error.type</c>).</summary>
    public string? ErrorType { get; private set; }

    public bool Cancelled { get; private set; }

    /// <summary>True when the failure may go away on its own (an I/O error, a locked or full disk), so a retry is worth it.</summary>
    public bool TransientFailure { get; private set; }

    /// <summary>True when the failure was a write that found no space left on the output disk.</summary>
    public bool OutputDiskFull { get; private set; }

    /// <summary>True once the scan failed or was cancelled: its remaining chunks only travel to Record.</summary>
    public bool Stopped
    {
        get
        {
            lock (_gate)
            {
                return FailedStage is not null || Cancelled;
            }
        }
    }

    /// <summary>Records the first failure; later ones (consequences of the first) are ignored.</summary>
    public void Fail(PipelineStage stage, Exception error)
    {
        lock (_gate)
        {
            if (FailedStage is null && !Cancelled)
            {
                FailedStage = stage;
                Error = Describe(error);
                ErrorType = error.GetType().FullName;
                TransientFailure = IsTransient(error);
                OutputDiskFull = OutputDisk.IsFull(error);
            }
        }
    }

    public void Cancel()
    {
        lock (_gate)
        {
            if (FailedStage is null)
            {
                Cancelled = true;
            }
        }
    }

    /// <summary>Runs one stage's work for this scan, timing it and turning any exception into the scan's failure.</summary>
    public void Run(PipelineStage stage, Action work)
    {
        if (Stopped)
        {
            return;
        }

        var watch = Stopwatch.StartNew();
        try
        {
            work();
        }
        catch (Exception e)
        {
            Fail(stage, e);
        }
        finally
        {
            lock (_gate)
            {
                _durations[stage] = _durations.GetValueOrDefault(stage) + watch.Elapsed;
            }
        }
    }

    public IReadOnlyDictionary<PipelineStage, TimeSpan> Durations()
    {
        lock (_gate)
        {
            return new Dictionary<PipelineStage, TimeSpan>(_durations);
        }
    }

    /// <summary>Closes the scan and abandons an uncommitted product (its temporary file is removed).</summary>
    public void Release()
    {
        Work?.Dispose();
        Work = null;
    }

    // A bad file or a bad calibration stays bad; permissions need a person; other I/O errors (disk full, locks,
    // network file systems) can clear. Anything else is a bug, and retrying a bug helps nobody.
    private static bool IsTransient(Exception error) => error switch
    {
        ScanFormatException or CalibrationException or UnauthorizedAccessException => false,
        IOException => true,
        _ => false,
    };

    // Our own exceptions already name the file and object; others get their type so a person can search for it.
    private static string Describe(Exception error) => error switch
    {
        ScanFormatException or CalibrationException => error.Message,
        IOException or UnauthorizedAccessException => $"{error.GetType().Name}: {error.Message}",
        _ => $"{error.GetType().FullName}: {error.Message}",
    };
}

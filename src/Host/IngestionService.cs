using System.Collections.Concurrent;
using System.Data.Common;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Scanflow.Blocks;
using Scanflow.Engine.Formats;
using Scanflow.Engine.Ingestion;
using Scanflow.Engine.Ledger;
using Scanflow.Engine.Model;
using Scanflow.Engine.Planning;
using Scanflow.Engine.Processing;
using Scanflow.Host.Report;

namespace Scanflow.Host;

/// <summary>
/// <c>scanflow run</c>'s work: finds raw files in the drop directory by file-system events and periodic rescans,
/// takes each once it has settled and opens as HDF5, pairs science scans with calibration scans (waiting for one that
/// has not landed yet), and streams them through the ledger-aware graph. While the output disk has less free space than
/// its floor (<see cref="OutputSpaceFloor"/>), or after a scan found it full, it takes no new scans and resumes by itself
/// once there is room. On stop it takes no new scans and gives those in flight the shutdown grace. A ledger that cannot
/// be written stops it with exit code 1 (systemd restarts it).
/// </summary>
internal sealed class IngestionService(
    RunSettings settings, TimeProvider time, PipelineMetrics metrics, IngestionStatus status, LiveReport report,
    IHostApplicationLifetime lifetime, ILogger<IngestionService> logger)
    : BackgroundService
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(250);

    // Science files handed to the pipeline and not yet finished: a requeue in the ledger must not take them twice.
    private readonly ConcurrentDictionary<string, byte> _inFlight = new(StringComparer.Ordinal);
    private OutputSpaceFloor? _floor;

    // Why the drop directory could not be listed at the last rescan (null: it could): an outage is logged once.
    private string? _dropProblem;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Scans are taken once the whole service is up: a metrics port that cannot be bound stops start-up before the ledger is opened.
        using (var startedOrStopping = CancellationTokenSource.CreateLinkedTokenSource(lifetime.ApplicationStarted, stoppingToken))
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, startedOrStopping.Token).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        if (stoppingToken.IsCancellationRequested)
        {
            return; // start-up failed (or a stop came first): nothing was taken
        }

        try
        {
            await RunAsync(stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // One critical sentence (with advice) for the operator; the stack trace only at debug level (--verbose).
            // Stopping the host here, rather than rethrowing, keeps the host's own stack-trace line out of the log.
            var ledgerError = LedgerFailure(e);
            if (ledgerError is not null && !LedgerFile.IsDamaged(ledgerError))
            {
                Log.LedgerUnwritable(logger, settings.Ledger, OutputDisk.IsFull(ledgerError) ? OutputDisk.Full(settings.Ledger) : ledgerError.Message);
                Log.LedgerUnwritableDetail(logger, e);
            }
            else
            {
                Log.Faulted(logger, ledgerError is not null ? LedgerFile.Problem(settings.Ledger, ledgerError) : ErrorSentence.Of(e));
                Log.FaultDetail(logger, e);
            }

            Environment.ExitCode = 1;
            lifetime.StopApplication();
        }
    }

    private async Task RunAsync(CancellationToken stoppingToken)
    {
        var service = settings.Service;
        var configSha256 = settings.ConfigSha256; // once per run: every waiting or expired row records it
        var drop = service.Drop;
        var tracker = new DropTracker(drop, service.Settle, time);
        var waiting = new CalibrationWaitList(settings.MaxCalibrationAge, service.CalibrationWait, time, settings.GainInterpolation);

        OutputDirectory.Create(settings.Output); // only now: a service that refused to start made nothing
        using var ledger = LedgerFile.OpenWriter(settings.Ledger, settings.ToLedgerOptions(), time);
        var floor = _floor = new OutputSpaceFloor(service.MinFreeSpaceBytes, ledger.LargestProductBytes());
        // Below the floor no scan is claimed (checked before each one, as products fill the disk between ticks).
        var pipeline = settings.ToPipelineOptions(time, metrics) with
        {
            PauseOnDiskFull = true,
            HoldIntake = () => floor.Shortfall(settings.Output, OutputDisk.FreeBytes(settings.Output)),
            PlotsDrawn = plots =>
            {
                foreach (var warning in plots.Warnings)
                {
                    Log.PlotWarning(logger, plots.ScanId, plots.Band, warning);
                }

                report.LedgerChanged(); // the scan's page gains its plots
            },
        };
        ledger.SpendReserveWhenFull = true;
        using var run = new CalibrationRunner(pipeline, new SqliteScanLedger(ledger, pipeline.OutputDirectory, pipeline.Calibration) { ReattachSlurm = pipeline.Slurm is not null }, Report);
        using var stop = new CancellationTokenSource();
        var processing = run.ProcessAsync(stop.Token);
        status.Started(run.ExecutorCompletion);
        foreach (var scan in run.Recovered)
        {
            Log.Recovered(logger, scan.ScanId, scan.Band);
        }

        var events = Channel.CreateUnbounded<string>();
        using var watcher = new FileSystemWatcher(drop)
        {
            IncludeSubdirectories = true,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size,
            InternalBufferSize = 64 * 1024,
        };
        watcher.Created += (_, e) => events.Writer.TryWrite(e.FullPath);
        watcher.Changed += (_, e) => events.Writer.TryWrite(e.FullPath);
        watcher.Renamed += (_, e) => events.Writer.TryWrite(e.FullPath);
        watcher.Deleted += (_, e) => events.Writer.TryWrite(e.FullPath);
        watcher.EnableRaisingEvents = true;
        Log.Started(logger, drop, service.Settle.TotalSeconds, service.Rescan.TotalSeconds, pipeline.OutputDirectory, settings.Ledger);
        report.LedgerChanged(); // the report of what the ledger already holds, before the first scan lands

        var rescanEvery = service.Rescan;
        var nextRescan = time.GetUtcNow();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                if (processing.IsCompleted)
                {
                    await PipelineEndedAsync(processing);
                }

                while (events.Reader.TryRead(out var path))
                {
                    tracker.Observe(path);
                }

                if (time.GetUtcNow() >= nextRescan)
                {
                    Rescan(tracker, drop);
                    TakeRequeued(tracker, ledger);
                    nextRescan = time.GetUtcNow() + rescanEvery;
                }

                // Files that settle while intake is paused stay with the tracker until it resumes.
                var settled = KeepsSpace(run, ledger, floor, pipeline.OutputDirectory) ? tracker.TakeSettled() : [];
                var settling = tracker.Tracked;
                for (var i = 0; i < settled.Count; i++)
                {
                    status.Observe(settling + settled.Count - i, waiting.Waiting);
                    try
                    {
                        await IngestAsync(settled[i], waiting, run, ledger, pipeline.OutputDirectory, configSha256, stoppingToken);
                        report.LedgerChanged(); // a scan may have become WAITING
                    }
                    catch (ChannelClosedException) when (processing.IsCompleted)
                    {
                        await PipelineEndedAsync(processing);
                    }
                }

                // Scans WAITING for a later calibration (gain interpolation) that did not come by their deadline.
                foreach (var due in waiting.ReleaseDue())
                {
                    Log.WentAhead(logger, due.Science.ScanId, ModelNames.Of(due.Science.Band), due.GainInterpolationNote ?? "");
                    await EnqueueAsync(run, due, stoppingToken);
                }

                foreach (var (science, reason) in waiting.Expire())
                {
                    Log.WaitExpired(logger, science.ScanId, ModelNames.Of(science.Band), reason);
                    ledger.WaitExpired(science.ScanId, science.Band, configSha256, reason);
                    report.LedgerChanged();
                }

                status.Observe(settling, waiting.Waiting);

                await Task.Delay(Tick, time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // SIGTERM / service stop: drain below.
        }

        Log.Stopping(logger, pipeline.Grace.TotalSeconds);
        run.CompleteIntake();
        await stop.CancelAsync();
        await processing;
        Log.Stopped(logger);
    }

    /// <summary>Pauses intake while the output disk is below its floor or a scan found it full, and resumes it once the
    /// floor is met again (with the ledger's reserve made again); each change is logged once. True while scans are taken.</summary>
    private bool KeepsSpace(CalibrationRunner run, LedgerWriter ledger, OutputSpaceFloor floor, string output)
    {
        var free = OutputDisk.FreeBytes(output);
        status.Space(free, floor.Bytes);
        var shortfall = floor.Shortfall(output, free);
        if (status.Paused is null)
        {
            if ((shortfall ?? run.Paused) is not { } reason)
            {
                return true;
            }

            run.Pause(reason);
            status.Pause(reason);
            Log.IntakePaused(logger, reason);
            return false;
        }

        if (shortfall is not null)
        {
            return false;
        }

        ledger.RestoreReserve();
        run.Resume();
        status.Pause(null);
        Log.IntakeResumed(logger, OutputDisk.Megabytes(free), OutputDisk.MountPoint(output), OutputDisk.Megabytes(floor.Bytes));
        return true;
    }

    /// <summary>The ledger's error when <paramref name="error"/> is a ledger that could not be written (or opened), else null.</summary>
    private static Exception? LedgerFailure(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is DbException)
            {
                return e;
            }

            if (e is AggregateException aggregate)
            {
                return aggregate.InnerExceptions.Select(LedgerFailure).FirstOrDefault(x => x is not null);
            }
        }

        return null;
    }

    /// <summary>The pipeline ended while the service runs: rethrows its failure (or says it stopped), which stops the
    /// service with exit code 1 for systemd to restart it.</summary>
    private static async Task PipelineEndedAsync(Task processing)
    {
        await processing;
        throw new InvalidOperationException("the pipeline stopped while the service was running");
    }

    private async Task IngestAsync(
        IngestedFile file, CalibrationWaitList waiting, CalibrationRunner run, LedgerWriter ledger, string outputDirectory, string configSha256,
        CancellationToken stoppingToken)
    {
        if (file.Header is not { } header)
        {
            var why = file.RejectReason ?? "unknown";
            Log.Rejected(logger, file.Path, why);
            if (file.RejectError is { } error)
            {
                Log.RejectedDetail(logger, file.Path, error.Message);
            }

            var info = new FileInfo(file.Path);
            ledger.Rejected(file.Path, why, info.Exists ? info.Length : 0, info.Exists ? info.LastWriteTimeUtc : DateTimeOffset.UnixEpoch);
            return;
        }

        if (header.Kind == ScanKind.Calibration)
        {
            waiting.AddCalibration(header);
            var releasedScans = waiting.Release(out var nowWaitingForLater);
            foreach (var released in releasedScans)
            {
                await EnqueueAsync(run, released, stoppingToken);
            }

            foreach (var (science, why) in nowWaitingForLater)
            {
                Log.WaitingForLater(logger, science.ScanId, ModelNames.Of(science.Band), why);
                ledger.Waiting(LedgerScan.For(science, L1FileNaming.PathFor(outputDirectory, science), configSha256), why);
            }

            return;
        }

        if (waiting.Pair(header, out var reason) is { } planned)
        {
            await EnqueueAsync(run, planned, stoppingToken);
        }
        else if (waiting.WaitsForLater(header))
        {
            // A PENDING row here was requeued by scanflow retry (or left so by a run that died after it was forced):
            // it goes ahead with the calibration it has. A SUCCEEDED row of this very file was calibrated with C₁ alone
            // before a restart (forced through): nothing to wait for. Otherwise the row stays, or becomes, WAITING.
            var scan = LedgerScan.For(header, L1FileNaming.PathFor(outputDirectory, header), configSha256);
            var status = ledger.StatusOf(header.ScanId, header.Band, configSha256);
            var input = new FileInfo(header.FilePath);
            if (status == ScanStatus.Succeeded && input.Exists && ledger.KnownInputSha256(input.FullName, input.Length, input.LastWriteTimeUtc) is not null)
            {
                waiting.Forget(header);
            }
            else if (status == ScanStatus.Pending && waiting.Force(header) is { } forced)
            {
                Log.WentAhead(logger, header.ScanId, ModelNames.Of(header.Band), forced.GainInterpolationNote ?? "");
                await EnqueueAsync(run, forced, stoppingToken);
            }
            else
            {
                Log.WaitingForLater(logger, header.ScanId, ModelNames.Of(header.Band), reason ?? "waiting for a later calibration scan");
                ledger.Waiting(scan, reason ?? "waiting for a later calibration scan");
            }
        }
        else
        {
            Log.Waiting(logger, header.ScanId, ModelNames.Of(header.Band), reason ?? "none known yet");
            ledger.Waiting(LedgerScan.For(header, L1FileNaming.PathFor(outputDirectory, header), configSha256), reason ?? "no calibration scan yet");
        }
    }

    /// <summary>Every file under the drop directory, as a watcher would have reported it. A drop directory that has
    /// gone or cannot be listed (an unmounted file system, its permissions taken away) is said once, and once more when
    /// it can be listed again; meanwhile the files known are kept, not forgotten as deleted.</summary>
    private void Rescan(DropTracker tracker, string drop)
    {
        // The enumeration below skips what it may not read, the drop directory itself included, so that is asked first.
        var problem = DirectoryProbe.Unreadable(drop);
        List<string> listing = [];
        if (problem is null)
        {
            var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = 0 };
            try
            {
                listing = [.. Directory.EnumerateFiles(drop, "*", options)];
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                problem = e.Message;
            }
        }

        if (problem is not null)
        {
            if (_dropProblem is null)
            {
                Log.DropUnreadable(logger, drop, problem);
            }

            _dropProblem = problem;
            return;
        }

        if (_dropProblem is not null)
        {
            Log.DropReadable(logger, drop);
            _dropProblem = null;
        }

        tracker.Rescan(listing);
    }

    private async Task EnqueueAsync(CalibrationRunner run, PlannedScan scan, CancellationToken stoppingToken)
    {
        _inFlight[scan.Science.FilePath] = 0;
        await run.EnqueueAsync(scan, stoppingToken);
    }

    /// <summary>Scans requeued in the ledger (<c>scanflow retry</c>) whose files this service has finished with are
    /// taken again, without a restart.</summary>
    private void TakeRequeued(DropTracker tracker, LedgerWriter ledger)
    {
        foreach (var path in ledger.PendingInputPaths())
        {
            if (!_inFlight.ContainsKey(path) && tracker.Reconsider(path))
            {
                Log.Requeued(logger, path);
            }
        }
    }

    private void Report(ScanOutcome outcome)
    {
        report.LedgerChanged(); // recorded in the ledger before it is reported here
        var science = outcome.Scan.Science;
        _inFlight.TryRemove(science.FilePath, out _);
        var band = ModelNames.Of(science.Band);
        var result = outcome.Status.ToString().ToUpperInvariant();
        var seconds = (outcome.Finished - outcome.Started).TotalSeconds;
        switch (outcome.Status)
        {
            case ScanOutcomeStatus.Succeeded:
                // A scan takes the room of its L1 file and of the QA files and plots beside it.
                _floor?.ProductWritten(outcome.Product!.Bytes + outcome.QualityProducts.Sum(p => p.Bytes));
                Log.Calibrated(logger, science.ScanId, band, result, seconds, outcome.Product!.Path);
                break;
            case ScanOutcomeStatus.Failed:
                Log.Failed(logger, science.ScanId, band, result, outcome.FailedStage is { } stage ? PipelineStages.Name(stage) : "ledger", seconds, outcome.Error ?? "");
                break;
            default:
                Log.NotCalibrated(logger, science.ScanId, band, result, seconds, outcome.Error ?? "");
                break;
        }
    }
}

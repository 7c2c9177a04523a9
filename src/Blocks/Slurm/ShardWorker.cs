using System.Globalization;
using Scanflow.Engine.Formats;
using Scanflow.Engine.Model;
using Scanflow.Engine.Planning;

namespace Scanflow.Blocks;

/// <summary>
/// What one SLURM array task does (<c>scanflow worker --plan FILE --shard N</c>): rebuilds the shard's planned scans from
/// their files' headers, runs them through the same graph and options as the local executor, and appends each scan's
/// outcome to the shard's result file as it arrives. It never opens the ledger: the plan carries the claims, the result
/// file carries the outcomes back. A rerun of the task (SLURM requeues after a node failure or preemption) skips the
/// scans that already have a result of the same attempt.
/// </summary>
internal sealed class ShardWorker(TimeProvider time, Func<string, string?> environment)
{
    private readonly Dictionary<string, RawScanHeader> _headers = new(StringComparer.Ordinal);

    /// <summary>Every scan of the shard has a result (failed ones included).</summary>
    public const int Done = 0;

    /// <summary>The <see cref="ExitOnFirstAttemptVariable"/> test hook stopped the task before it calibrated anything.</summary>
    public const int ExitedOnFirstAttempt = 3;

    /// <summary>Stopped (SIGTERM from <c>scancel</c>, or preemption): scans in flight were cancelled and have no result.</summary>
    public const int Stopped = 143;

    // Test hooks (faults are the only fakes the tests use): they let a test make a task fail on its first attempt, so
    // the coordinator has to resubmit, or hold a task long enough to scancel it while it runs.

    /// <summary>Test hook: a science scan id; when the shard holds it with attempt 1, the task exits with
    /// <see cref="ExitedOnFirstAttempt"/> before calibrating anything.</summary>
    public const string ExitOnFirstAttemptVariable = "SCANFLOW_WORKER_EXIT_ON_FIRST_ATTEMPT";

    /// <summary>Test hook: seconds the task sleeps before it starts calibrating.</summary>
    public const string StartDelayVariable = "SCANFLOW_WORKER_START_DELAY_SECONDS";

    /// <summary>A worker on the system clock and this process's environment.</summary>
    public ShardWorker()
        : this(TimeProvider.System, Environment.GetEnvironmentVariable)
    {
    }

    /// <summary>Calibrates shard <paramref name="shard"/> of the plan at <paramref name="planPath"/>, one line per scan
    /// to <paramref name="log"/>; returns <see cref="Done"/>, <see cref="Stopped"/> when <paramref name="stop"/> fired, or
    /// <see cref="ExitedOnFirstAttempt"/>. A plan that cannot be read or a shard it does not have throws an
    /// <see cref="InvalidDataException"/> whose message is one sentence naming the plan file and the shard.</summary>
    public async Task<int> RunAsync(string planPath, int shard, TextWriter log, CancellationToken stop)
    {
        var meter = new SlurmTaskMeter(time, environment);
        var plan = ReadPlan(planPath, shard);
        var scans = plan.Shards[shard];
        var resultPath = SlurmResultFile.PathFor(planPath, shard);

        if (environment(ExitOnFirstAttemptVariable) is { } exitScan
            && scans.FirstOrDefault(s => s.Attempt == 1 && s.ScanId.ToString(CultureInfo.InvariantCulture) == exitScan.Trim()) is { } hooked)
        {
            log.WriteLine($"shard {shard}: exiting with {ExitedOnFirstAttempt} before calibrating ({ExitOnFirstAttemptVariable}: scan {hooked.ScanId} is on its first attempt)");
            return ExitedOnFirstAttempt;
        }

        if (double.TryParse(environment(StartDelayVariable), NumberStyles.Float, CultureInfo.InvariantCulture, out var delay) && delay > 0)
        {
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"shard {shard}: waiting {delay} s before starting ({StartDelayVariable})"));
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(delay), time, stop);
            }
            catch (OperationCanceledException)
            {
                log.WriteLine($"shard {shard}: stopped before it started");
                return Stopped;
            }
        }

        var done = AlreadyDone(resultPath, scans);
        var remaining = Enumerable.Range(0, scans.Count).Where(i => !done.Contains(i)).ToList();
        log.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"shard {shard} of {planPath}: {scans.Count} scans, {scans.Count - remaining.Count} already done; job {meter.JobId} task {meter.TaskId} on {meter.Node}; results → {resultPath}"));

        var reported = 0;
        void Append(SlurmScanResult result)
        {
            SlurmResultFile.Append(resultPath, result);
            reported++;
            log.WriteLine(Describe(result));
        }

        void Report(int index, ScanOutcome outcome)
        {
            if (outcome.Status == ScanOutcomeStatus.Cancelled)
            {
                // A stopped scan gets no result: the coordinator sees it unfinished and claims it again.
                log.WriteLine($"scan {scans[index].ScanId} {ModelNames.Of(scans[index].Band)}: {outcome.Error}");
                return;
            }

            Append(SlurmScanResult.Of(index, scans[index], outcome, meter.Now()));
        }

        var jobs = new List<(int Index, ScanJob Job)>();
        foreach (var index in remaining)
        {
            if (Rebuild(scans[index], out var problem) is { } job)
            {
                jobs.Add((index, job));
            }
            else
            {
                Append(SlurmScanResult.Unreadable(index, scans[index], problem!, time.GetUtcNow(), meter.Now()));
            }
        }

        // The coordinator creates it on the shared file system; a task that finds it missing makes it rather than fail every scan.
        Directory.CreateDirectory(plan.OutputDirectory);
        var indexOf = jobs.ToDictionary(j => j.Job.Scan, j => j.Index, (IEqualityComparer<PlannedScan>)ReferenceEqualityComparer.Instance);
        using (var graph = new CalibrationGraph(plan.ToPipelineOptions(), outcome => Report(indexOf[outcome.Scan], outcome)))
        {
            // Zero grace: SLURM gives a stopped task a short while before SIGKILL, and a cancelled scan removes its temporary file.
            using var cancel = stop.Register(() => graph.CancelInFlightAfter(TimeSpan.Zero));
            try
            {
                foreach (var (_, job) in jobs)
                {
                    if (!await graph.SubmitAsync(job, stop).ConfigureAwait(false))
                    {
                        break;
                    }
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // Stopped while waiting for room: the scans not submitted get no result, like those cancelled in flight.
            }

            graph.Complete();
            await graph.Completion.ConfigureAwait(false);
        }

        if (stop.IsCancellationRequested && reported < remaining.Count)
        {
            log.WriteLine($"shard {shard}: stopped with {remaining.Count - reported} scans unfinished");
            return Stopped;
        }

        return Done;
    }

    private static SlurmPlan ReadPlan(string planPath, int shard)
    {
        SlurmPlan plan;
        try
        {
            plan = SlurmPlanFile.Read(planPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            throw new InvalidDataException($"cannot run shard {shard} of plan {planPath}: {e.Message}", e);
        }

        if (shard < 0 || shard >= plan.Shards.Count)
        {
            throw new InvalidDataException($"cannot run shard {shard} of plan {planPath}: the plan has shards 0 to {plan.Shards.Count - 1}");
        }

        return plan;
    }

    /// <summary>The indexes of scans that already have a result of the attempt the plan gives them: done by an earlier
    /// run of this task.</summary>
    private static HashSet<int> AlreadyDone(string resultPath, IReadOnlyList<SlurmPlanScan> scans) =>
        [.. SlurmResultFile.Read(resultPath).Where(r => r.Index >= 0 && r.Index < scans.Count && r.Attempt == scans[r.Index].Attempt && r.ScanId == scans[r.Index].ScanId)
            .Select(r => r.Index)];

    /// <summary>The graph's job for <paramref name="scan"/>, its planned scan rebuilt from its files' headers (each read
    /// once per task: a shard's scans share their calibrations); null when a header cannot be read.</summary>
    private ScanJob? Rebuild(SlurmPlanScan scan, out string? problem)
    {
        problem = null;
        try
        {
            var calibrations = scan.CalibrationFiles.Select(Header).ToList();
            var planned = new PlannedScan(Header(scan.ScienceFile), calibrations[0])
            {
                LaterCalibration = calibrations.Count > 1 ? calibrations[1] : null,
                GainInterpolationNote = scan.GainInterpolationNote,
            };
            return new ScanJob(planned, scan.InputSha256, scan.CalibrationSha256);
        }
        catch (Exception e) when (e is ScanFormatException or IOException or UnauthorizedAccessException)
        {
            problem = e is ScanFormatException ? e.Message : $"cannot read a header: {e.Message}";
            return null;
        }
    }

    private RawScanHeader Header(string path)
    {
        if (!_headers.TryGetValue(path, out var header))
        {
            header = RawScanFile.ReadHeader(path);
            _headers[path] = header;
        }

        return header;
    }

    /// <summary>The task's log line for a scan's result: the scan, how it ended, and where the product went or why not.</summary>
    private static string Describe(SlurmScanResult r) => r.Status == ScanOutcomeStatus.Succeeded
        ? string.Create(
            CultureInfo.InvariantCulture,
            $"scan {r.ScanId} {ModelNames.Of(r.Band)}: SUCCEEDED in {(r.Finished - r.Started).TotalSeconds:F1} s → {r.Product!.Path}{string.Concat(r.QualityWarnings.Select(w => "; " + w))}")
        : $"scan {r.ScanId} {ModelNames.Of(r.Band)}: FAILED in {(r.FailedStage is { } stage ? PipelineStages.Name(stage) : "-")}: {r.Error}";
}

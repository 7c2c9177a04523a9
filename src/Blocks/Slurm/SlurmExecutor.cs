using System.Globalization;
using System.Threading.Channels;
using Scanflow.Engine.Ledger;
using Scanflow.Engine.Model;

namespace Scanflow.Blocks;

/// <summary>
/// Runs scans as SLURM job arrays, from the login node. Scans submitted within <see cref="SlurmOptions.BatchWindow"/>
/// become one submission per set of resources: a plan file in its own directory under the work directory, shards of
/// similar size, and one array whose task N runs <c>scanflow worker --plan PLAN --shard N</c>. The submission is in the
/// ledger before sbatch runs and its job id right after, so a coordinator killed at any point re-attaches (the claim of
/// such a scan carries <see cref="ScanJob.Reattach"/>) and submits nothing twice. One squeue call per poll covers every
/// job of the coordinator (they share its job name); the interval doubles while nothing changes. A scan's outcome is its
/// line in the task's result file; a task that ended (failed, timed out, ran out of memory, lost its node, was cancelled
/// or preempted without requeue) without a line for a scan fails that scan as transient, with SLURM's state and reason,
/// so the runner resubmits it while its retries last. A requeued task is waited for like a pending one.
/// One loop does all SLURM and file work, so no state is shared between threads but the incoming queue.
/// </summary>
internal sealed class SlurmExecutor : IScanExecutor
{
    // Compute nodes read about 50 MB/s per task at worst here; the derived time limit allows four times that and a margin.
    private const double AssumedBytesPerSecond = 50e6;

    private readonly PipelineOptions _options;
    private readonly SlurmOptions _slurm;
    private readonly ISlurmLedger _ledger;
    private readonly SlurmClient _client;
    private readonly Action<ScanOutcome> _report;
    private readonly Channel<ScanJob> _incoming = Channel.CreateUnbounded<ScanJob>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim _wake = new(0);
    private readonly Dictionary<string, SlurmWatch> _watched = new(StringComparer.Ordinal);
    private readonly List<ScanJob> _batch = [];
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string _tag = Guid.NewGuid().ToString("N")[..8];
    private long _bytesRead;
    private long _cancelAtTicks = DateTime.MaxValue.Ticks;
    private volatile bool _stopping;
    private int _submissions;

    public SlurmExecutor(PipelineOptions options, SlurmOptions slurm, ISlurmLedger ledger, SlurmClient client, Action<ScanOutcome> report)
    {
        _options = options;
        _slurm = slurm;
        _ledger = ledger;
        _client = client;
        _report = report;
        Directory.CreateDirectory(slurm.WorkDirectory);
        _ = Task.Run(LoopAsync);
    }

    public Task Completion => _completion.Task;

    public long BytesRead => Interlocked.Read(ref _bytesRead);

    public Task<bool> SubmitAsync(ScanJob job, CancellationToken cancellationToken)
    {
        var accepted = _incoming.Writer.TryWrite(job);
        _wake.Release();
        return Task.FromResult(accepted);
    }

    public void Complete()
    {
        _incoming.Writer.TryComplete();
        _wake.Release();
    }

    /// <summary>Submits nothing more; after <paramref name="grace"/> cancels the jobs still working on scans (scancel).</summary>
    public void CancelInFlightAfter(TimeSpan grace)
    {
        _stopping = true;
        var at = DateTime.UtcNow.Add(grace).Ticks;
        long current;
        while (at < (current = Interlocked.Read(ref _cancelAtTicks)) && Interlocked.CompareExchange(ref _cancelAtTicks, at, current) != current)
        {
        }

        _wake.Release();
    }

    public IReadOnlyList<StageActivity> Activity() => [];

    public void Dispose()
    {
        _incoming.Writer.TryComplete();
        _wake.Release();
    }

    private int Waiting => _watched.Values.Sum(w => w.Scans.Count);

    private async Task LoopAsync()
    {
        try
        {
            DateTime? batchStarted = null;
            var lastArrival = DateTime.MinValue;
            var interval = _slurm.PollInterval;
            var nextPoll = DateTime.MaxValue;
            while (true)
            {
                var now = DateTime.UtcNow;
                while (_incoming.Reader.TryRead(out var job))
                {
                    if (job.Reattach is { } attempt)
                    {
                        Watch(attempt.Submission, attempt.PlanPath, attempt.JobName, attempt.JobId).Scans[(attempt.Task, attempt.Index)] = job;
                        nextPoll = now;
                    }
                    else if (_stopping)
                    {
                        NotStarted(job);
                    }
                    else
                    {
                        _batch.Add(job);
                        batchStarted ??= now;
                        lastArrival = now;
                    }
                }

                var noMore = _incoming.Reader.Completion.IsCompleted;
                if (_stopping)
                {
                    _batch.ForEach(NotStarted);
                    _batch.Clear();
                }

                // A cooldown: the batch goes once no scan came for the window, or once it waited ten windows.
                var batchDue = Min(lastArrival + _slurm.BatchWindow, batchStarted + (_slurm.BatchWindow * 10) ?? DateTime.MaxValue);
                if (_batch.Count > 0 && (noMore || now >= batchDue || _batch.Count >= _slurm.MaxScansPerSubmission))
                {
                    var taken = _batch.Take(_slurm.MaxScansPerSubmission).ToList();
                    _batch.RemoveRange(0, taken.Count);
                    batchStarted = _batch.Count > 0 ? now : null;
                    await SubmitAsync(taken);
                    interval = _slurm.PollInterval;
                    nextPoll = DateTime.UtcNow + interval;
                }

                if (Waiting > 0 && DateTime.UtcNow >= nextPoll)
                {
                    var changed = await PollAsync();
                    interval = changed ? _slurm.PollInterval : TimeSpan.FromTicks(Math.Min(interval.Ticks * 2, _slurm.MaxPollInterval.Ticks));
                    nextPoll = DateTime.UtcNow + interval;
                }

                var cancelAt = new DateTime(Interlocked.Read(ref _cancelAtTicks), DateTimeKind.Utc);
                if (Waiting > 0 && DateTime.UtcNow >= cancelAt)
                {
                    await CancelAsync();
                }

                if (noMore && _batch.Count == 0 && Waiting == 0)
                {
                    break;
                }

                var wakeAt = Min(Waiting > 0 ? Min(nextPoll, cancelAt) : DateTime.MaxValue, _batch.Count > 0 ? batchDue : DateTime.MaxValue);
                var wait = wakeAt == DateTime.MaxValue ? Timeout.InfiniteTimeSpan : TimeSpan.FromTicks(Math.Max(0, (wakeAt - DateTime.UtcNow).Ticks));
                await _wake.WaitAsync(wait);
            }

            _completion.TrySetResult();
        }
        catch (Exception e)
        {
            _completion.TrySetException(e);
        }
    }

    /// <summary>Writes the plan and job script of each set of resources' scans, records the submission, runs sbatch.</summary>
    private async Task SubmitAsync(List<ScanJob> jobs)
    {
        foreach (var group in jobs.GroupBy(j => _slurm.ResourcesFor(ModelNames.Of(j.Scan.Science.Band), j.Scan.Science.ObsMode is { } mode ? ModelNames.Of(mode) : "")))
        {
            var id = string.Create(CultureInfo.InvariantCulture, $"{DateTime.UtcNow:yyyyMMdd'T'HHmmss}-{_tag}-{++_submissions}");
            var bytes = group.ToDictionary(job => job, ScienceBytes);
            var shards = SlurmSharding.Split([.. group], job => bytes[job], _slurm.ShardBytes);
            var watch = Watch(id, Path.Combine(_slurm.WorkDirectory, id, "plan.json"), _slurm.JobName, jobId: null);
            watch.Created = true;
            var placed = shards.SelectMany((shard, task) => shard.Select((job, index) => (job, task, index))).ToList();
            foreach (var (job, task, index) in placed)
            {
                watch.Scans[(task, index)] = job;
            }

            SlurmSubmitRequest request;
            try
            {
                var directory = Path.GetDirectoryName(watch.PlanPath)!;
                Directory.CreateDirectory(directory);
                SlurmPlanFile.Write(watch.PlanPath, new SlurmPlan
                {
                    OutputDirectory = _options.OutputDirectory,
                    Calibration = _options.Calibration,
                    ChunkBytes = _options.ChunkBytes,
                    MemoryLimitBytes = _options.MemoryLimitBytes,
                    Shards = [.. shards.Select(shard => (IReadOnlyList<SlurmPlanScan>)[.. shard.Select(job => SlurmPlanScan.Of(job, job.Attempt))])],
                });
                // Made here, not by the tasks: a network filesystem that cached "no such file" from an early poll would
                // hide a result file a task created for up to a minute.
                for (var task = 0; task < shards.Count; task++)
                {
                    File.WriteAllBytes(SlurmResultFile.PathFor(watch.PlanPath, task), []);
                }

                var script = Path.Combine(directory, "job.sh");
                SlurmJobScript.Write(script, _slurm.WorkerCommand);
                _ledger.SlurmSubmitting(id, watch.PlanPath, _slurm.JobName, shards.Count, [.. placed.Select(p => (p.job.Scan, p.task, p.index))]);
                var largest = shards.Max(shard => shard.Sum(job => bytes[job]));
                request = new SlurmSubmitRequest(
                    script, [watch.PlanPath], _slurm.JobName, id, shards.Count, _slurm.MaxJobs, directory, directory, Derived(group.Key, largest));
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Nothing was submitted: the runner retries these scans.
                var why = $"submitting to SLURM failed: {e.Message}";
                foreach (var job in watch.Scans.Values)
                {
                    Conclude(Failed(job, why));
                }

                watch.Scans.Clear();
                _watched.Remove(id);
                continue;
            }

            try
            {
                watch.JobId = await _client.SubmitAsync(request, CancellationToken.None);
                _ledger.SlurmSubmitted(id, watch.JobId);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // sbatch may have failed after the controller queued the job (a timeout), or the ledger missed its id: the
                // next poll looks for the job by its comment before these scans fail.
                watch.SubmitError = e.Message;
            }
        }
    }

    /// <summary>One squeue call for every job of this coordinator, then the result files of the tasks still owing scans.
    /// True when anything changed (a result, a task that ended, a job id found).</summary>
    private async Task<bool> PollAsync()
    {
        IReadOnlyList<SlurmTaskStatus> queue;
        _options.Metrics?.SlurmStatusCall();
        try
        {
            // The submissions' own job names: a re-attached one carries the name of the coordinator that submitted it.
            queue = await _client.QueryAsync([.. _watched.Values.Select(w => w.JobName).Append(_slurm.JobName).Distinct()], CancellationToken.None);
        }
        catch (SlurmCommandException)
        {
            // The controller is busy or down: the jobs are where they were; ask again after the backoff.
            return false;
        }

        var changed = false;
        foreach (var watch in _watched.Values.ToList())
        {
            if (watch.JobId is null && queue.FirstOrDefault(s => s.Comment == watch.Submission) is { } found)
            {
                // The coordinator died between sbatch and recording its answer: the job carries the submission as its comment.
                watch.JobId = found.JobId;
                changed = true;
                try
                {
                    _ledger.SlurmSubmitted(watch.Submission, found.JobId);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    // Known here; a later run finds the job by its comment again.
                }
            }

            foreach (var task in watch.Scans.Keys.Select(k => k.Task).Distinct().ToList())
            {
                changed |= Collect(watch, task);
                var status = StatusOf(queue, watch, task);
                if (status is not null && !SlurmStates.IsTerminal(status.State))
                {
                    continue;
                }

                // Ended, or never there. Its scans without a result fail only when the next poll agrees: a result file
                // a network filesystem still hides, or a job a slow controller lists late, gets one more poll.
                if (watch.EndedTasks.Add(task))
                {
                    changed = true;
                    continue;
                }

                Collect(watch, task);
                var why = Ended(watch, task, status);
                foreach (var key in watch.Scans.Keys.Where(k => k.Task == task).ToList())
                {
                    watch.Scans.Remove(key, out var job);
                    watch.Unfinished = true;
                    Conclude(Failed(job!, why));
                    changed = true;
                }
            }

            if (watch.Scans.Count == 0)
            {
                _watched.Remove(watch.Submission);
                Forget(watch);
            }
        }

        _options.Metrics?.SlurmPolled(TasksByState(queue));
        return changed;
    }

    /// <summary>Reports the scans of <paramref name="task"/> that have a line in its result file; true when there were any.</summary>
    private bool Collect(SlurmWatch watch, int task)
    {
        var any = false;
        var damaged = new List<string>();
        IReadOnlyList<SlurmScanResult> results;
        try
        {
            results = SlurmResultFile.Read(SlurmResultFile.PathFor(watch.PlanPath, task), damaged);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A shared filesystem's hiccup: read again at the next poll; if the task has ended, its scans without a result
            // fail with this reason.
            watch.ReadProblems[task] = e.Message;
            return false;
        }

        watch.ReadProblems.Remove(task);
        if (damaged.Count > 0)
        {
            watch.ReadProblems[task] = damaged[0];
        }

        foreach (var result in results)
        {
            if (!watch.Scans.TryGetValue((task, result.Index), out var job))
            {
                continue;
            }

            if (result.ScanId != job.Scan.Science.ScanId || result.Status == ScanOutcomeStatus.Succeeded && result.Product is null)
            {
                // Not the plan's scan, or a success without a product: not a result this run can record.
                watch.ReadProblems[task] = $"{SlurmResultFile.PathFor(watch.PlanPath, task)} holds a result for place {result.Index} that is not scan {job.Scan.Science.ScanId}'s";
                continue;
            }

            watch.Scans.Remove((task, result.Index));
            var outcome = result.ToOutcome(job.Scan);
            watch.Unfinished |= outcome.Status != ScanOutcomeStatus.Succeeded;
            Interlocked.Add(ref _bytesRead, outcome.BytesRead);
            _options.Metrics?.SlurmScanCollected(outcome);
            _report(outcome);
            any = true;
            if (!watch.Scans.Keys.Any(k => k.Task == task))
            {
                _options.Metrics?.SlurmTaskEnded(result.ElapsedSeconds);
            }
        }

        return any;
    }

    /// <summary>After the grace: cancels every job still owing scans (one scancel), collects what they wrote meanwhile, and
    /// reports the rest cancelled.</summary>
    private async Task CancelAsync()
    {
        if (_watched.Values.Any(w => w.JobId is null && w.Scans.Count > 0))
        {
            // A job whose sbatch answer was lost is found by its comment, so that it is cancelled too.
            await PollAsync();
        }

        var jobs = _watched.Values.Where(w => w.JobId is not null && w.Scans.Count > 0).Select(w => w.JobId!).Distinct().ToList();
        try
        {
            await _client.CancelAsync(jobs, CancellationToken.None);
        }
        catch (SlurmCommandException)
        {
            // Reported with the scans below: their jobs may go on, and the next run re-attaches to none of them.
        }

        foreach (var watch in _watched.Values)
        {
            foreach (var task in watch.Scans.Keys.Select(k => k.Task).Distinct().ToList())
            {
                Collect(watch, task);
            }

            foreach (var job in watch.Scans.Values)
            {
                var now = _options.Time.GetUtcNow();
                Conclude(ScanOutcome.Decided(job.Scan, ScanOutcomeStatus.Cancelled, $"cancelled: the run was stopped (SLURM job {watch.JobId ?? "not yet known"} cancelled)", now, now));
            }

            watch.Scans.Clear();
        }

        _watched.Clear();
    }

    /// <summary>A submission this run made whose scans all succeeded and are recorded: its directory (plan, script, results,
    /// SLURM's output) is removed. Any other stays for the operator, and for a later run's re-attach.</summary>
    private static void Forget(SlurmWatch watch)
    {
        if (!watch.Created || watch.Unfinished)
        {
            return;
        }

        try
        {
            Directory.Delete(Path.GetDirectoryName(watch.PlanPath)!, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left in place: it takes a little room, and harms nothing.
        }
    }

    private SlurmWatch Watch(string submission, string planPath, string jobName, string? jobId)
    {
        if (!_watched.TryGetValue(submission, out var watch))
        {
            watch = new SlurmWatch(submission, planPath, jobName) { JobId = jobId };
            _watched[submission] = watch;
        }

        return watch;
    }

    /// <summary>Memory and time the site did not set, derived from the run's memory limit and the largest shard.</summary>
    private SlurmResources Derived(SlurmResources resources, long shardBytes) => resources with
    {
        // The graph keeps to its memory limit, give or take; the runtime and the plot data need about 1 GiB more.
        MemoryMegabytes = resources.MemoryMegabytes ?? ((_options.MemoryLimitBytes >> 20) * 3 / 2) + 1024,
        TimeLimit = resources.TimeLimit ?? TimeSpan.FromMinutes(15 + Math.Ceiling(4 * shardBytes / AssumedBytesPerSecond / 60)),
    };

    private static string Ended(SlurmWatch watch, int task, SlurmTaskStatus? status)
    {
        var name = $"SLURM task {watch.JobId}_{task}";
        var unread = watch.ReadProblems.TryGetValue(task, out var problem) ? $"; its result file could not be read: {problem}" : "";
        return (watch.JobId, status) switch
        {
            (null, _) when watch.SubmitError is { } error => $"submitting to SLURM failed, and no job carries submission {watch.Submission}: {error}",
            (null, _) => $"SLURM never received submission {watch.Submission}: the coordinator died before sbatch ran, and no job carries it",
            (_, null) => $"{name} ended without this scan's result, longer ago than SLURM remembers jobs (MinJobAge); see {watch.PlanPath}'s directory for its output",
            _ => $"{name} ended {status.RawState}{(status.Reason is "" or "None" ? "" : $" ({status.Reason})")} on {status.Node ?? "no node"} before this scan's result was written",
        } + unread;
    }

    /// <summary>What the queue shows for a task of the watched job (a job that is no array shows as its task 0); null when
    /// it is not listed.</summary>
    private static SlurmTaskStatus? StatusOf(IReadOnlyList<SlurmTaskStatus> queue, SlurmWatch watch, int task) =>
        queue.FirstOrDefault(s => s.JobId == watch.JobId && (s.TaskId == task || s.TaskId is null));

    private static long ScienceBytes(ScanJob job)
    {
        try
        {
            return new FileInfo(job.Scan.Science.FilePath).Length;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;

    private ScanOutcome Failed(ScanJob job, string why)
    {
        var now = _options.Time.GetUtcNow();
        return ScanOutcome.Decided(job.Scan, ScanOutcomeStatus.Failed, why, now, now) with { TransientFailure = true, InputSha256 = job.InputSha256 };
    }

    private void NotStarted(ScanJob job)
    {
        var now = _options.Time.GetUtcNow();
        Conclude(ScanOutcome.Decided(job.Scan, ScanOutcomeStatus.Cancelled, "not started: the run was stopped", now, now));
    }

    /// <summary>Reports an attempt's outcome decided here; counted here, like the graph counts the attempts it runs.</summary>
    private void Conclude(ScanOutcome outcome)
    {
        _options.Metrics?.ScanConcluded(outcome);
        _report(outcome);
    }

    /// <summary>The array tasks still owing scans, by the state the queue shows (gone: no longer listed).</summary>
    private Dictionary<string, int> TasksByState(IReadOnlyList<SlurmTaskStatus> queue) =>
        _watched.Values
            .SelectMany(w => w.Scans.Keys.Select(k => k.Task).Distinct().Select(task => StatusOf(queue, w, task)?.RawState.ToLowerInvariant() ?? "gone"))
            .GroupBy(state => state)
            .ToDictionary(g => g.Key, g => g.Count());
}

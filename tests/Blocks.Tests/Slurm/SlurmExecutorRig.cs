using System.Diagnostics;
using System.Runtime.Versioning;
using Scanflow.Engine.Formats;
using Scanflow.Engine.Model;
using Scanflow.Engine.Planning;
using Scanflow.Engine.Tests;

namespace Scanflow.Blocks.Tests.Slurm;

/// <summary>A <see cref="SlurmExecutor"/> wired to fake sbatch, squeue and scancel (<see cref="SlurmCommandFakes"/>) and a
/// <see cref="RecordingSlurmLedger"/>, with scans whose files are small real ones. By default sbatch prints job id 77 and
/// squeue prints the lines of a queue file the test rewrites (<see cref="SetQueue"/>); the test plays the worker by
/// appending result lines (<see cref="WriteResult"/>). Conditions are awaited by polling up to <see cref="Deadline"/>.</summary>
[SupportedOSPlatform("linux")]
internal sealed class SlurmExecutorRig : IAsyncDisposable
{
    /// <summary>How long a condition may take to hold, even on a loaded machine.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    public const string JobName = "scanflow-test";

    private readonly TempDirectory _temp = new();
    private readonly Lock _lock = new();
    private readonly List<ScanOutcome> _outcomes = [];
    private readonly string _queueFile;
    private SlurmExecutor? _executor;

    public SlurmExecutorRig(string sbatchBody = "echo 77", string? squeueBody = null, string scancelBody = "exit 0")
    {
        Fakes = new SlurmCommandFakes(_temp.Path);
        _queueFile = _temp.Combine("queue");
        Sbatch = Fakes.Write("sbatch", sbatchBody);
        Squeue = Fakes.Write("squeue", squeueBody ?? $"cat '{_queueFile}' 2>/dev/null\nexit 0");
        Scancel = Fakes.Write("scancel", scancelBody);
        Directory.CreateDirectory(_temp.Combine("raw"));
    }

    public SlurmCommandFakes Fakes { get; }

    public string Sbatch { get; }

    public string Squeue { get; }

    public string Scancel { get; }

    /// <summary>The fakes' directory, where a fake's body may keep files.</summary>
    public string FakesDirectory => _temp.Path;

    public string WorkDirectory => _temp.Combine("work");

    public RecordingSlurmLedger Ledger { get; private set; } = new();

    public SlurmExecutor Executor => _executor ?? throw new InvalidOperationException("Start the executor first.");

    /// <summary>Small batch window and quick polls.</summary>
    public SlurmOptions Slurm => new()
    {
        WorkDirectory = WorkDirectory,
        WorkerCommand = ["/bin/true"],
        JobName = JobName,
        BatchWindow = TimeSpan.FromMilliseconds(50),
        PollInterval = TimeSpan.FromMilliseconds(100),
        MaxPollInterval = TimeSpan.FromMilliseconds(400),
    };

    public IReadOnlyList<ScanOutcome> Outcomes
    {
        get
        {
            lock (_lock)
            {
                return [.. _outcomes];
            }
        }
    }

    public SlurmExecutor Start(SlurmOptions? slurm = null, Action<SlurmSubmittingCall>? onSubmitting = null)
    {
        Ledger = new RecordingSlurmLedger { OnSubmitting = onSubmitting };
        _executor = new SlurmExecutor(
            new PipelineOptions { OutputDirectory = _temp.Combine("out") },
            slurm ?? Slurm,
            Ledger,
            new SlurmClient(Sbatch, Squeue, Scancel),
            outcome =>
            {
                lock (_lock)
                {
                    _outcomes.Add(outcome);
                }
            });
        return _executor;
    }

    /// <summary>A scan of <paramref name="band"/> whose science and calibration files exist (1 KiB each).</summary>
    public ScanJob Job(long scanId, Band band = Band.Lfa)
    {
        var science = Header(_temp.Combine("raw", $"scan_{scanId:D6}.h5"), scanId, ScanKind.Science, band);
        var calibration = Header(_temp.Combine("raw", $"scan_{scanId + 1000:D6}_cal.h5"), scanId + 1000, ScanKind.Calibration, band);
        return new ScanJob(new PlannedScan(science, calibration), $"sha-science-{scanId}", [$"sha-calibration-{scanId}"]);
    }

    /// <summary>Makes squeue print these lines from its next call on (written whole, then renamed into place).</summary>
    public void SetQueue(params string[] lines)
    {
        var next = _queueFile + ".next";
        File.WriteAllText(next, string.Concat(lines.Select(line => line + "\n")));
        File.Move(next, _queueFile, overwrite: true);
    }

    /// <summary>A squeue line in <see cref="SqueueListing.Format"/>.</summary>
    public static string Line(string jobId, int task, string state, string reason = "None", string node = "node1", string comment = "") =>
        $"{jobId}|{task}|{state}|{reason}|{node}|{comment}";

    /// <summary>Plays the worker: appends the result of <paramref name="scanId"/> to its task's result file.</summary>
    public static void WriteResult(SlurmSubmittingCall submission, long scanId, string jobId, ScanOutcomeStatus status = ScanOutcomeStatus.Succeeded)
    {
        var (task, index) = submission.PlaceOf(scanId);
        var band = submission.Scans.Single(s => s.Scan.Science.ScanId == scanId).Scan.Science.Band;
        WriteResult(submission.PlanPath, task, index, scanId, band, jobId, status);
    }

    /// <summary>Appends a result line for the scan at (<paramref name="task"/>, <paramref name="index"/>) of the plan.</summary>
    public static void WriteResult(string planPath, int task, int index, long scanId, Band band, string jobId, ScanOutcomeStatus status = ScanOutcomeStatus.Succeeded)
    {
        var finished = DateTimeOffset.UtcNow;
        SlurmResultFile.Append(SlurmResultFile.PathFor(planPath, task), new SlurmScanResult
        {
            Index = index,
            ScanId = scanId,
            Band = band,
            Attempt = 1,
            Status = status,
            Error = status == ScanOutcomeStatus.Succeeded ? null : "calibration failed in the worker",
            Product = status == ScanOutcomeStatus.Succeeded ? new L1Product($"/l1/scan_{scanId:D6}.l1.h5", "ab12", 2048) : null,
            BytesRead = 1024,
            Started = finished.AddSeconds(-1),
            Finished = finished,
            JobId = jobId,
            TaskId = task,
            Node = "node1",
            ElapsedSeconds = 1,
        });
    }

    /// <summary>Polls <paramref name="condition"/> until it holds; fails the test with what was seen at the deadline.</summary>
    public async Task WaitForAsync(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > Deadline || _executor?.Completion.IsFaulted == true)
            {
                Assert.Fail($"not within {Deadline.TotalSeconds} s (or the executor faulted): {what}. {Seen()}");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>The first outcome reported for <paramref name="scanId"/>, once there is one.</summary>
    public async Task<ScanOutcome> OutcomeAsync(long scanId)
    {
        await WaitForAsync(() => Outcomes.Any(o => o.Scan.Science.ScanId == scanId), $"an outcome for scan {scanId}");
        return Outcomes.First(o => o.Scan.Science.ScanId == scanId);
    }

    /// <summary>The <paramref name="count"/>th submission the ledger recorded, once there is one.</summary>
    public async Task<SlurmSubmittingCall> SubmittingAsync(int count = 1)
    {
        await WaitForAsync(() => Ledger.Submitting.Count >= count, $"{count} submission(s) recorded in the ledger");
        return Ledger.Submitting[count - 1];
    }

    /// <summary>Waits for the executor's completion, failing the test at the deadline.</summary>
    public async Task CompletionAsync()
    {
        try
        {
            await Executor.Completion.WaitAsync(Deadline);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"the executor did not complete within {Deadline.TotalSeconds} s. {Seen()}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_executor is { } executor)
        {
            // Whatever the test left in flight is cancelled, so no loop keeps polling fakes that are about to vanish.
            executor.Complete();
            executor.CancelInFlightAfter(TimeSpan.Zero);
            // A fault or a timeout is the test's to report: one here would hide the test's own failure.
            await executor.Completion.WaitAsync(Deadline).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            executor.Dispose();
        }

        _temp.Dispose();
    }

    private string Seen() =>
        $"Outcomes: [{string.Join("; ", Outcomes.Select(o => $"scan {o.Scan.Science.ScanId} {o.Status}: {o.Error}"))}]; "
        + $"sbatch calls: {Fakes.Calls("sbatch").Count}, squeue calls: {Fakes.Calls("squeue").Count}, scancel calls: {Fakes.Calls("scancel").Count}; "
        + $"ledger: {Ledger.Submitting.Count} submitting, submitted [{string.Join(", ", Ledger.Submitted)}]; "
        + $"executor: {(_executor?.Completion is { IsFaulted: true } faulted ? "faulted: " + faulted.Exception.GetBaseException() : _executor?.Completion.Status.ToString())}";

    private static RawScanHeader Header(string path, long scanId, ScanKind kind, Band band)
    {
        File.WriteAllBytes(path, new byte[1024]);
        return new RawScanHeader
        {
            FilePath = path,
            ScanId = scanId,
            Kind = kind,
            Band = band,
            LoFrequencyHz = band == Band.Lfa ? 475e9 : 805e9,
            Sideband = Sideband.Usb,
            SidebandGainRatio = 1,
            ForwardEfficiency = 0.95,
            AmbientTemperatureK = 280,
            PressureHpa = 550,
            StartMjd = kind == ScanKind.Calibration ? 60000.0 : 60000.01,
            Source = "Orion",
            Project = "test",
            Pixels = 2,
            Channels = 64,
            ObsMode = kind == ScanKind.Science ? ObsMode.TotalPower : null,
            OnDumps = kind == ScanKind.Science ? 12 : 0,
            OffDumps = kind == ScanKind.Science ? 5 : 0,
            HotTemperatureK = kind == ScanKind.Calibration ? 290 : double.NaN,
            ColdTemperatureK = kind == ScanKind.Calibration ? 77 : double.NaN,
            ElevationDeg = kind == ScanKind.Calibration ? 45 : double.NaN,
        };
    }
}

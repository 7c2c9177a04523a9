using Scanflow.Engine.Formats;
using Scanflow.Engine.Ledger;
using Scanflow.Engine.Model;
using Scanflow.Engine.Planning;

namespace Scanflow.Blocks;

/// <summary>One scan's outcome as an array task reports it to the coordinator: a line of the shard's result file
/// (<see cref="SlurmResultFile"/>), with the task's SLURM facts at the moment the scan finished. Plots are not drawn on
/// the compute node: the coordinator draws them from <see cref="PlotDataPath"/>.</summary>
internal sealed record SlurmScanResult
{
    /// <summary>The scan's position in its shard.</summary>
    public required int Index { get; init; }

    /// <summary>The science scan's id.</summary>
    public required long ScanId { get; init; }

    /// <summary>The science scan's band.</summary>
    public required Band Band { get; init; }

    /// <summary>The ledger attempt the plan gave the scan.</summary>
    public required int Attempt { get; init; }

    /// <summary>How the scan ended: succeeded or failed (a task that is stopped reports no result for the scans it stopped).</summary>
    public required ScanOutcomeStatus Status { get; init; }

    /// <summary><see cref="ScanOutcome.FailedStage"/>.</summary>
    public PipelineStage? FailedStage { get; init; }

    /// <summary><see cref="ScanOutcome.Error"/>.</summary>
    public string? Error { get; init; }

    /// <summary><see cref="ScanOutcome.TransientFailure"/>.</summary>
    public bool TransientFailure { get; init; }

    /// <summary><see cref="ScanOutcome.OutputDiskFull"/>.</summary>
    public bool OutputDiskFull { get; init; }

    /// <summary>The L1 product (path, SHA-256, bytes); set only when the scan succeeded.</summary>
    public L1Product? Product { get; init; }

    /// <summary>The QA files published with the product.</summary>
    public IReadOnlyList<ProductFile> QualityProducts { get; init; } = [];

    /// <summary><see cref="ScanOutcome.QualityWarnings"/>.</summary>
    public IReadOnlyList<string> QualityWarnings { get; init; } = [];

    /// <summary>The plot data published beside the product: the plots the coordinator draws.</summary>
    public string? PlotDataPath { get; init; }

    /// <summary><see cref="ScanOutcome.InputSha256"/>.</summary>
    public string? InputSha256 { get; init; }

    /// <summary>Bytes of ON counts read.</summary>
    public long BytesRead { get; init; }

    /// <summary>Busy seconds per stage.</summary>
    public IReadOnlyDictionary<PipelineStage, double> StageDurations { get; init; } = new Dictionary<PipelineStage, double>();

    /// <summary>When work on the scan started.</summary>
    public required DateTimeOffset Started { get; init; }

    /// <summary>When the scan reached its outcome.</summary>
    public required DateTimeOffset Finished { get; init; }

    /// <summary>The array job (<see cref="SlurmTaskUsage.JobId"/>).</summary>
    public required string JobId { get; init; }

    /// <summary>The array task.</summary>
    public int? TaskId { get; init; }

    /// <summary>The compute node.</summary>
    public string? Node { get; init; }

    /// <summary>The task's wall time from the worker's start to this scan's end.</summary>
    public double ElapsedSeconds { get; init; }

    /// <summary>The task's CPU time up to this scan's end.</summary>
    public double CpuSeconds { get; init; }

    /// <summary>The task's peak RSS up to this scan's end.</summary>
    public long MaxRssBytes { get; init; }

    /// <summary>The task's facts as they hang on a <see cref="ScanOutcome"/>.</summary>
    public SlurmTaskUsage Usage => new(JobId, TaskId, Node, ElapsedSeconds, CpuSeconds, MaxRssBytes);

    /// <summary>The result line for the graph's <paramref name="outcome"/> of the scan at <paramref name="index"/>.</summary>
    public static SlurmScanResult Of(int index, SlurmPlanScan scan, ScanOutcome outcome, SlurmTaskUsage usage) => For(index, scan, outcome.Started, usage) with
    {
        Status = outcome.Status,
        FailedStage = outcome.FailedStage,
        Error = outcome.Error,
        TransientFailure = outcome.TransientFailure,
        OutputDiskFull = outcome.OutputDiskFull,
        Product = outcome.Product,
        QualityProducts = outcome.QualityProducts,
        QualityWarnings = outcome.QualityWarnings,
        PlotDataPath = outcome.PlotDataPath,
        InputSha256 = outcome.InputSha256,
        BytesRead = outcome.BytesRead,
        StageDurations = outcome.StageDurations.ToDictionary(d => d.Key, d => d.Value.TotalSeconds),
        Finished = outcome.Finished,
    };

    /// <summary>The failed result of a scan whose science or calibration header could not be read at <paramref name="now"/>:
    /// failed at Load, not transient (the file is what it is until someone fixes it).</summary>
    public static SlurmScanResult Unreadable(int index, SlurmPlanScan scan, string problem, DateTimeOffset now, SlurmTaskUsage usage) =>
        For(index, scan, now, usage) with
        {
            Status = ScanOutcomeStatus.Failed,
            FailedStage = PipelineStage.Load,
            Error = problem,
            InputSha256 = scan.InputSha256,
            Finished = now,
        };

    /// <summary>What every result of <paramref name="scan"/> carries: its place, identity and attempt, and the task's facts.</summary>
    private static SlurmScanResult For(int index, SlurmPlanScan scan, DateTimeOffset started, SlurmTaskUsage usage) => new()
    {
        Index = index,
        ScanId = scan.ScanId,
        Band = scan.Band,
        Attempt = scan.Attempt,
        Status = ScanOutcomeStatus.Failed,
        Started = started,
        Finished = started,
        JobId = usage.JobId,
        TaskId = usage.TaskId,
        Node = usage.Node,
        ElapsedSeconds = usage.ElapsedSeconds,
        CpuSeconds = usage.CpuSeconds,
        MaxRssBytes = usage.MaxRssBytes,
    };

    /// <summary>The outcome the coordinator reports for <paramref name="scan"/> (its own planned scan, which this result
    /// is the outcome of), with the task's facts in <see cref="ScanOutcome.Slurm"/>. Its quality stays null: the plots are
    /// drawn from <see cref="PlotDataPath"/>.</summary>
    public ScanOutcome ToOutcome(PlannedScan scan) => new()
    {
        Scan = scan,
        Status = Status,
        FailedStage = FailedStage,
        Error = Error,
        Product = Product,
        QualityProducts = QualityProducts,
        QualityWarnings = QualityWarnings,
        PlotDataPath = PlotDataPath,
        InputSha256 = InputSha256,
        BytesRead = BytesRead,
        StageDurations = StageDurations.ToDictionary(d => d.Key, d => TimeSpan.FromSeconds(d.Value)),
        Started = Started,
        Finished = Finished,
        TransientFailure = TransientFailure,
        OutputDiskFull = OutputDiskFull,
        Slurm = Usage,
    };
}

using Scanflow.Engine.Ledger;

namespace Scanflow.Engine.Tests.Ledger;

/// <summary>The claim decision table, row by row, without SQLite: every status, each guard on and off, the budget boundaries.</summary>
public sealed class ClaimDecisionTests
{
    private const int MaxRetries = 3;
    private const string ThisRun = "this-run";
    private const string OtherRun = "other-run";

    private static readonly ScanClaim Claim = LedgerFixture.Claim(7);
    private static readonly RunIdentity Identity = new("this-host", 4242, new DateTimeOffset(2025, 3, 14, 11, 0, 0, TimeSpan.Zero));

    /// <summary>The owning run is asked about and found dead.</summary>
    private static readonly Func<string, string?> Dead = _ => null;

    [Fact]
    public void No_row_inserts_one_with_a_first_try()
    {
        Assert.Equal(new ClaimDecision(ClaimAction.Insert, Tries: 1), Decide(null));
    }

    [Theory]
    [InlineData(VersionPolicy.Compatible, "1.0.0")]
    [InlineData(VersionPolicy.Compatible, "0.9.0")]
    [InlineData(VersionPolicy.Exact, "1.0.0")]
    public void Succeeded_with_the_same_inputs_and_a_current_product_is_skipped(VersionPolicy policy, string rowEngine)
    {
        var decision = Decide(Row(ScanStatus.Succeeded, tries: 0) with { EngineVersion = rowEngine }, Options(policy));

        Assert.Equal(new ClaimDecision(ClaimAction.Skip, Reason: "scan 7 HFA already succeeded with the same inputs and configuration"), decision);
    }

    [Fact]
    public void Succeeded_by_another_engine_under_the_Exact_policy_is_reclaimed_with_a_fresh_budget()
    {
        var decision = Decide(Row(ScanStatus.Succeeded, tries: 2) with { EngineVersion = "0.9.0" }, Options(VersionPolicy.Exact));

        Assert.Equal(new ClaimDecision(ClaimAction.Reclaim, Tries: 1), decision);
    }

    [Theory]
    [InlineData(VersionPolicy.Compatible)]
    [InlineData(VersionPolicy.Exact)]
    public void Succeeded_whose_product_was_overwritten_is_reclaimed_with_a_fresh_budget(VersionPolicy policy)
    {
        var decision = Decide(Row(ScanStatus.Succeeded, tries: 2) with { L1Current = false }, Options(policy));

        Assert.Equal(new ClaimDecision(ClaimAction.Reclaim, Tries: 1), decision);
    }

    [Theory]
    [InlineData("input_sha256")]
    [InlineData("calibration_scan_ids")]
    [InlineData("calibration_sha256")]
    public void Succeeded_with_a_changed_input_is_reclaimed_with_a_fresh_budget(string changed)
    {
        Assert.Equal(new ClaimDecision(ClaimAction.Reclaim, Tries: 1), Decide(Change(Row(ScanStatus.Succeeded, tries: 2), changed)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(MaxRetries + 1)]
    public void Waiting_is_reclaimed_with_a_fresh_budget(int tries)
    {
        Assert.Equal(new ClaimDecision(ClaimAction.Reclaim, Tries: 1), Decide(Row(ScanStatus.Waiting, tries)));
        Assert.Equal(new ClaimDecision(ClaimAction.Reclaim, Tries: 1), Decide(Change(Row(ScanStatus.Waiting, tries), "input_sha256")));
    }

    [Fact]
    public void Running_in_this_run_is_held_and_names_this_run_without_asking_whether_it_lives()
    {
        var decision = Decide(Row(ScanStatus.Running, runId: ThisRun));

        Assert.Equal(
            new ClaimDecision(ClaimAction.HeldByThisRun, Reason: "scan 7 HFA is already running in this run (this-run, host this-host, pid 4242)"),
            decision);
    }

    [Fact]
    public void Running_in_a_live_run_is_held_and_names_that_run()
    {
        var asked = new List<string>();

        var decision = Decide(Row(ScanStatus.Running, runId: OtherRun), liveRun: runId =>
        {
            asked.Add(runId);
            return $"run {runId} (host far, pid 1)";
        });

        Assert.Equal(new ClaimDecision(ClaimAction.HeldByAnotherRun, Reason: "scan 7 HFA is running in run other-run (host far, pid 1)"), decision);
        Assert.Equal([OtherRun], asked);
    }

    [Theory]
    [InlineData(1, 2)]
    [InlineData(MaxRetries, MaxRetries + 1)]
    [InlineData(MaxRetries + 1, MaxRetries + 2)] // no budget check on a take-over: the cap applies once the row is PENDING
    public void Running_in_a_dead_run_is_taken_over_with_one_more_try(int tries, int expected)
    {
        var decision = Decide(Row(ScanStatus.Running, tries, runId: OtherRun), liveRun: Dead);

        Assert.Equal(new ClaimDecision(ClaimAction.TakeOverDeadRun, Tries: expected), decision);
    }

    [Fact]
    public void Running_in_a_dead_run_with_a_changed_input_is_taken_over_with_a_fresh_budget()
    {
        var decision = Decide(Change(Row(ScanStatus.Running, tries: 2, runId: OtherRun), "input_sha256"), liveRun: Dead);

        Assert.Equal(new ClaimDecision(ClaimAction.TakeOverDeadRun, Tries: 1), decision);
    }

    [Fact]
    public void Running_on_slurm_for_a_dead_run_is_reattached_by_a_slurm_run_and_taken_over_by_a_local_one_12()
    {
        var onSlurm = Row(ScanStatus.Running, tries: 2, runId: OtherRun) with { SlurmSubmission = "sub-1" };

        var slurm = ClaimDecision.Decide(onSlurm, Claim with { ReattachSlurm = true }, Options(), ThisRun, Identity, Dead);
        var local = Decide(onSlurm, liveRun: Dead);
        var changed = ClaimDecision.Decide(Change(onSlurm, "input_sha256"), Claim with { ReattachSlurm = true }, Options(), ThisRun, Identity, Dead);

        Assert.Equal(new ClaimDecision(ClaimAction.Reattach, Tries: 2), slurm);
        Assert.Equal(new ClaimDecision(ClaimAction.TakeOverDeadRun, Tries: 3), local);
        Assert.Equal(new ClaimDecision(ClaimAction.TakeOverDeadRun, Tries: 1), changed); // its SLURM task works on an older input
    }

    [Fact]
    public void Running_without_a_run_is_taken_over_without_asking_whether_one_lives()
    {
        Assert.Equal(new ClaimDecision(ClaimAction.TakeOverDeadRun, Tries: 3), Decide(Row(ScanStatus.Running, tries: 2, runId: null)));
    }

    [Fact]
    public void Pending_interrupted_more_often_than_the_budget_is_given_up()
    {
        var decision = Decide(Row(ScanStatus.Pending, MaxRetries + 1, FailureKind.Transient));

        Assert.Equal(ClaimAction.GiveUpInterrupted, decision.Action);
        Assert.Equal(
            "interrupted 4 times by a run that died (MaxRetries 3); it may be what stops the process: look at its input, then scanflow retry",
            decision.Reason);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(MaxRetries, MaxRetries + 1)]
    public void Pending_interrupted_within_the_budget_is_reclaimed_with_one_more_try(int tries, int expected)
    {
        Assert.Equal(new ClaimDecision(ClaimAction.Reclaim, Tries: expected), Decide(Row(ScanStatus.Pending, tries, FailureKind.Transient)));
    }

    [Fact]
    public void Pending_interrupted_past_the_budget_with_a_changed_input_is_reclaimed_with_a_fresh_budget()
    {
        var decision = Decide(Change(Row(ScanStatus.Pending, MaxRetries + 1, FailureKind.Transient), "calibration_sha256"));

        Assert.Equal(new ClaimDecision(ClaimAction.Reclaim, Tries: 1), decision);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(MaxRetries + 1, MaxRetries + 2)]
    public void Pending_without_a_transient_failure_is_reclaimed_with_one_more_try_whatever_the_budget(int tries, int expected)
    {
        Assert.Equal(new ClaimDecision(ClaimAction.Reclaim, Tries: expected), Decide(Row(ScanStatus.Pending, tries, kind: null)));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(MaxRetries + 1)]
    public void Failed_permanently_with_the_same_inputs_is_refused_with_its_error_and_stage(int tries)
    {
        var decision = Decide(Row(ScanStatus.Failed, tries, FailureKind.Permanent, stage: "Calibrate", error: "no hot load in scan 6"));

        Assert.Equal(
            new ClaimDecision(ClaimAction.FailedPermanently, Reason: "no hot load in scan 6 (permanent failure at Calibrate; use scanflow retry to requeue)"),
            decision);
    }

    [Fact]
    public void Failed_permanently_at_no_recorded_stage_says_so()
    {
        var decision = Decide(Row(ScanStatus.Failed, tries: 1, FailureKind.Permanent, stage: null, error: "bad"));

        Assert.Equal("bad (permanent failure at an unknown stage; use scanflow retry to requeue)", decision.Reason);
    }

    [Theory]
    [InlineData("input_sha256")]
    [InlineData("calibration_scan_ids")]
    [InlineData("calibration_sha256")]
    public void Failed_permanently_with_a_changed_input_is_reclaimed_with_a_fresh_budget(string changed)
    {
        var decision = Decide(Change(Row(ScanStatus.Failed, MaxRetries + 1, FailureKind.Permanent), changed));

        Assert.Equal(new ClaimDecision(ClaimAction.Reclaim, Tries: 1), decision);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(MaxRetries)]
    public void Failed_transiently_within_the_budget_is_reclaimed_with_one_more_try(int tries)
    {
        Assert.Equal(new ClaimDecision(ClaimAction.Reclaim, Tries: tries + 1), Decide(Row(ScanStatus.Failed, tries, FailureKind.Transient)));
    }

    [Theory]
    [InlineData(FailureKind.Transient)]
    [InlineData(null)]
    public void Failed_past_the_budget_is_refused_with_the_tries_and_the_budget(FailureKind? kind)
    {
        var decision = Decide(Row(ScanStatus.Failed, MaxRetries + 1, kind, error: "disk hiccup"));

        Assert.Equal(
            new ClaimDecision(ClaimAction.FailedPermanently, Reason: "disk hiccup (gave up after 4 tries, MaxRetries 3; use scanflow retry to requeue)"),
            decision);
    }

    [Fact]
    public void Failed_transiently_past_the_budget_with_a_changed_input_is_reclaimed_with_a_fresh_budget()
    {
        var decision = Decide(Change(Row(ScanStatus.Failed, MaxRetries + 1, FailureKind.Transient), "calibration_scan_ids"));

        Assert.Equal(new ClaimDecision(ClaimAction.Reclaim, Tries: 1), decision);
    }

    [Fact]
    public void With_no_retries_a_first_transient_failure_is_final()
    {
        var options = new LedgerOptions { MaxRetries = 0 };

        Assert.Equal(ClaimAction.FailedPermanently, Decide(Row(ScanStatus.Failed, tries: 1, FailureKind.Transient), options).Action);
        Assert.Equal(new ClaimDecision(ClaimAction.Reclaim, Tries: 1), Decide(Row(ScanStatus.Failed, tries: 0, FailureKind.Transient), options));
        Assert.Equal(ClaimAction.GiveUpInterrupted, Decide(Row(ScanStatus.Pending, tries: 1, FailureKind.Transient), options).Action);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(MaxRetries + 1, MaxRetries + 2)]
    public void Cancelled_is_reclaimed_with_one_more_try_whatever_the_budget(int tries, int expected)
    {
        Assert.Equal(new ClaimDecision(ClaimAction.Reclaim, Tries: expected), Decide(Row(ScanStatus.Cancelled, tries)));
    }

    [Fact]
    public void Cancelled_with_a_changed_input_is_reclaimed_with_a_fresh_budget()
    {
        Assert.Equal(new ClaimDecision(ClaimAction.Reclaim, Tries: 1), Decide(Change(Row(ScanStatus.Cancelled, tries: 2), "input_sha256")));
    }

    private static LedgerOptions Options(VersionPolicy policy = VersionPolicy.Compatible) => new() { VersionPolicy = policy, MaxRetries = MaxRetries };

    private static ClaimDecision Decide(ScanRow? row, LedgerOptions? options = null, Func<string, string?>? liveRun = null) =>
        ClaimDecision.Decide(row, Claim, options ?? Options(), ThisRun, Identity, liveRun ?? NotAsked);

    /// <summary>Only a row RUNNING in another run may ask whether that run lives.</summary>
    private static string? NotAsked(string runId) => throw new InvalidOperationException($"the decision asked whether run {runId} is alive");

    /// <summary>A row of <see cref="Claim"/>'s key with the claim's inputs, engine and product path (current), after 3 attempts.</summary>
    private static ScanRow Row(ScanStatus status, int tries = 1, FailureKind? kind = null, string? runId = "earlier-run", string? stage = null, string? error = null) => new(
        RowId: 11,
        Status: status,
        Attempts: 3,
        Tries: tries,
        RunId: runId,
        InputSha256: Claim.InputSha256,
        CalibrationScanIds: LedgerText.Ids(Claim.CalibrationScanIds),
        CalibrationSha256: LedgerText.Checksums(Claim.CalibrationSha256),
        EngineVersion: Claim.EngineVersion,
        Stage: stage,
        Error: error,
        FailureKind: kind,
        L1Path: Claim.L1Path,
        L1Current: true,
        SlurmSubmission: null);

    /// <summary>The row with one of its inputs (named by its column) differing from the claim's.</summary>
    private static ScanRow Change(ScanRow row, string column) => column switch
    {
        "input_sha256" => row with { InputSha256 = "in-0" },
        "calibration_scan_ids" => row with { CalibrationScanIds = LedgerText.Ids([5]) },
        "calibration_sha256" => row with { CalibrationSha256 = LedgerText.Checksums(["cal-0"]) },
        _ => throw new ArgumentOutOfRangeException(nameof(column), column, null),
    };
}

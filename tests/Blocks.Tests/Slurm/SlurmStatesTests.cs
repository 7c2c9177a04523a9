namespace Scanflow.Blocks.Tests;

public class SlurmStatesTests
{
    [Theory]
    [InlineData("PENDING", nameof(SlurmState.Pending))]
    [InlineData("CONFIGURING", nameof(SlurmState.Configuring))]
    [InlineData("RUNNING", nameof(SlurmState.Running))]
    [InlineData("COMPLETING", nameof(SlurmState.Completing))]
    [InlineData("SUSPENDED", nameof(SlurmState.Suspended))]
    [InlineData("STOPPED", nameof(SlurmState.Stopped))]
    [InlineData("RESIZING", nameof(SlurmState.Resizing))]
    [InlineData("REQUEUED", nameof(SlurmState.Requeued))]
    [InlineData("REQUEUE_FED", nameof(SlurmState.RequeueFed))]
    [InlineData("REQUEUE_HOLD", nameof(SlurmState.RequeueHold))]
    [InlineData("SPECIAL_EXIT", nameof(SlurmState.SpecialExit))]
    [InlineData("RESV_DEL_HOLD", nameof(SlurmState.ResvDelHold))]
    [InlineData("COMPLETED", nameof(SlurmState.Completed))]
    [InlineData("FAILED", nameof(SlurmState.Failed))]
    [InlineData("TIMEOUT", nameof(SlurmState.Timeout))]
    [InlineData("NODE_FAIL", nameof(SlurmState.NodeFail))]
    [InlineData("OUT_OF_MEMORY", nameof(SlurmState.OutOfMemory))]
    [InlineData("CANCELLED", nameof(SlurmState.Cancelled))]
    [InlineData("CANCELLED by 0", nameof(SlurmState.Cancelled))]
    [InlineData("CANCELLED+", nameof(SlurmState.Cancelled))]
    [InlineData("PREEMPTED", nameof(SlurmState.Preempted))]
    [InlineData("BOOT_FAIL", nameof(SlurmState.BootFail))]
    [InlineData("DEADLINE", nameof(SlurmState.Deadline))]
    [InlineData("REVOKED", nameof(SlurmState.Revoked))]
    [InlineData(" RUNNING ", nameof(SlurmState.Running))]
    [InlineData("PD", nameof(SlurmState.Pending))]
    [InlineData("CG", nameof(SlurmState.Completing))]
    [InlineData("OOM", nameof(SlurmState.OutOfMemory))]
    [InlineData("LAUNCH_FAILED_SOMEDAY", nameof(SlurmState.Unknown))]
    [InlineData("", nameof(SlurmState.Unknown))]
    public void Parse_reads_squeue_and_sacct_state_names(string raw, string expected) =>
        Assert.Equal(Enum.Parse<SlurmState>(expected), SlurmStates.Parse(raw));

    /// <summary>Every state is listed, so a new enum member cannot slip through without a decision.</summary>
    [Fact]
    public void IsTerminal_is_true_exactly_for_states_after_which_the_task_never_runs_again_by_itself()
    {
        SlurmState[] terminal =
        [
            SlurmState.Completed, SlurmState.Failed, SlurmState.Timeout, SlurmState.NodeFail, SlurmState.OutOfMemory,
            SlurmState.Cancelled, SlurmState.Preempted, SlurmState.BootFail, SlurmState.Deadline, SlurmState.Revoked,
        ];
        SlurmState[] live =
        [
            SlurmState.Unknown, SlurmState.Pending, SlurmState.Configuring, SlurmState.Running, SlurmState.Completing,
            SlurmState.Suspended, SlurmState.Stopped, SlurmState.Resizing, SlurmState.Requeued, SlurmState.RequeueFed,
            SlurmState.RequeueHold, SlurmState.SpecialExit, SlurmState.ResvDelHold,
        ];

        Assert.Equal(Enum.GetValues<SlurmState>().Order(), terminal.Concat(live).Order());
        Assert.All(terminal, state => Assert.True(SlurmStates.IsTerminal(state), $"{state} is final"));
        Assert.All(live, state => Assert.False(SlurmStates.IsTerminal(state), $"{state} is still worth waiting on"));
    }

    [Fact]
    public void IsHeld_names_the_states_that_wait_for_an_operator_release()
    {
        var held = Enum.GetValues<SlurmState>().Where(SlurmStates.IsHeld);

        Assert.Equal([SlurmState.RequeueHold, SlurmState.SpecialExit, SlurmState.ResvDelHold], held);
    }
}

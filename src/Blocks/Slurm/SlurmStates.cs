using System.Collections.Frozen;

namespace Scanflow.Blocks;

/// <summary>Parses SLURM's state names and tells a final state from one worth waiting on.</summary>
internal static class SlurmStates
{
    private static readonly FrozenDictionary<string, SlurmState> ByName = new Dictionary<string, SlurmState>(StringComparer.OrdinalIgnoreCase)
    {
        ["PENDING"] = SlurmState.Pending,
        ["PD"] = SlurmState.Pending,
        ["CONFIGURING"] = SlurmState.Configuring,
        ["CF"] = SlurmState.Configuring,
        ["RUNNING"] = SlurmState.Running,
        ["R"] = SlurmState.Running,
        ["COMPLETING"] = SlurmState.Completing,
        ["CG"] = SlurmState.Completing,
        ["SUSPENDED"] = SlurmState.Suspended,
        ["S"] = SlurmState.Suspended,
        ["STOPPED"] = SlurmState.Stopped,
        ["ST"] = SlurmState.Stopped,
        ["RESIZING"] = SlurmState.Resizing,
        ["RS"] = SlurmState.Resizing,
        ["REQUEUED"] = SlurmState.Requeued,
        ["RQ"] = SlurmState.Requeued,
        ["REQUEUE_FED"] = SlurmState.RequeueFed,
        ["RF"] = SlurmState.RequeueFed,
        ["REQUEUE_HOLD"] = SlurmState.RequeueHold,
        ["RH"] = SlurmState.RequeueHold,
        ["SPECIAL_EXIT"] = SlurmState.SpecialExit,
        ["SE"] = SlurmState.SpecialExit,
        ["RESV_DEL_HOLD"] = SlurmState.ResvDelHold,
        ["RD"] = SlurmState.ResvDelHold,
        ["COMPLETED"] = SlurmState.Completed,
        ["CD"] = SlurmState.Completed,
        ["FAILED"] = SlurmState.Failed,
        ["F"] = SlurmState.Failed,
        ["TIMEOUT"] = SlurmState.Timeout,
        ["TO"] = SlurmState.Timeout,
        ["NODE_FAIL"] = SlurmState.NodeFail,
        ["NF"] = SlurmState.NodeFail,
        ["OUT_OF_MEMORY"] = SlurmState.OutOfMemory,
        ["OOM"] = SlurmState.OutOfMemory,
        ["CANCELLED"] = SlurmState.Cancelled,
        ["CA"] = SlurmState.Cancelled,
        ["PREEMPTED"] = SlurmState.Preempted,
        ["PR"] = SlurmState.Preempted,
        ["BOOT_FAIL"] = SlurmState.BootFail,
        ["BF"] = SlurmState.BootFail,
        ["DEADLINE"] = SlurmState.Deadline,
        ["DL"] = SlurmState.Deadline,
        ["REVOKED"] = SlurmState.Revoked,
        ["RV"] = SlurmState.Revoked,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>The state named by squeue's %T or %t or by sacct: only the first word counts ("CANCELLED by 0"), and
    /// sacct's '+' for a name cut short is dropped ("CANCELLED+"); an unknown name is <see cref="SlurmState.Unknown"/>.</summary>
    public static SlurmState Parse(string raw)
    {
        var name = raw.AsSpan().Trim();
        var space = name.IndexOfAny(' ', '\t');
        if (space >= 0)
        {
            name = name[..space];
        }

        name = name.TrimEnd('+');
        return ByName.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(name, out var state) ? state : SlurmState.Unknown;
    }

    /// <summary>True when the task will never run again by itself, so its outcome is known: it completed, failed,
    /// timed out, ran out of memory, was cancelled, or lost its node, boot, deadline or federation sibling.
    /// PREEMPTED and NODE_FAIL are final only because squeue never shows them for a task SLURM requeues: such a
    /// task goes COMPLETING then PENDING (reason BeginTime; briefly REQUEUED), as `scontrol requeue` shows on 22.05.
    /// COMPLETING is not final (its exit status is not known yet, and a requeued task passes through it). A held
    /// task (REQUEUE_HOLD, SPECIAL_EXIT, RESV_DEL_HOLD, or PENDING with reason "job requeued in held state") waits
    /// for an operator's `scontrol release` and is not final either; <see cref="IsHeld"/> tells it apart.
    /// <see cref="SlurmState.Unknown"/> is not final: a newer SLURM's state is waited on, never taken as an outcome.</summary>
    public static bool IsTerminal(SlurmState state) => state switch
    {
        SlurmState.Completed or SlurmState.Failed or SlurmState.Timeout or SlurmState.NodeFail or SlurmState.OutOfMemory
            or SlurmState.Cancelled or SlurmState.Preempted or SlurmState.BootFail or SlurmState.Deadline or SlurmState.Revoked => true,
        _ => false,
    };

    /// <summary>True for a task held after a requeue, which runs again only when an operator releases it.</summary>
    public static bool IsHeld(SlurmState state) =>
        state is SlurmState.RequeueHold or SlurmState.SpecialExit or SlurmState.ResvDelHold;
}

namespace Scanflow.Blocks;

/// <summary>A job's state as squeue (%T) and sacct name it; <see cref="SlurmStates"/> parses the names and tells which
/// states are final.</summary>
internal enum SlurmState
{
    /// <summary>A name this client does not know (a newer SLURM); RawState has it.</summary>
    Unknown,
    Pending,
    Configuring,
    Running,
    Completing,
    Suspended,
    Stopped,
    Resizing,
    Requeued,
    RequeueFed,
    RequeueHold,
    SpecialExit,
    ResvDelHold,
    Completed,
    Failed,
    Timeout,
    NodeFail,
    OutOfMemory,
    Cancelled,
    Preempted,
    BootFail,
    Deadline,
    Revoked,
}

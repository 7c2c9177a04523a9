using System.Runtime.InteropServices;

namespace Scanflow.Host;

/// <summary>Sends SIGTERM to a process (Process.Kill only sends SIGKILL), so a child service can drain cleanly.</summary>
internal static partial class Signals
{
    private const int SigTerm = 15;

    public static void Terminate(int processId)
    {
        if (Kill(processId, SigTerm) != 0)
        {
            throw new InvalidOperationException($"kill({processId}, SIGTERM) failed with errno {Marshal.GetLastPInvokeError()}");
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int processId, int signal);
}

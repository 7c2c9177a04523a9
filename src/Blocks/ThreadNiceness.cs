using System.Runtime.InteropServices;

namespace Scanflow.Blocks;

/// <summary>Lowers the scheduling priority of the calling thread on Linux (its nice value; .NET's Thread.Priority does
/// nothing there), so work on it yields the CPU to the calibration's threads.</summary>
internal static partial class ThreadNiceness
{
    private const int PrioProcess = 0;

    /// <summary>Sets the calling thread's nice value to <paramref name="nice"/> (higher is lower priority); false where
    /// the platform has no such call or refuses it.</summary>
    public static bool Lower(int nice)
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            return SetPriority(PrioProcess, GetThreadId(), nice) == 0;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "setpriority")]
    private static partial int SetPriority(int which, int who, int priority);

    [LibraryImport("libc", EntryPoint = "gettid")]
    private static partial int GetThreadId();
}

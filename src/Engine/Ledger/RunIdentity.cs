using System.Diagnostics;

namespace Scanflow.Engine.Ledger;

/// <summary>
/// Who a run is, so another run can tell whether it is still alive: host, pid and the process start time
/// (a reused pid has a different start time).
/// </summary>
internal sealed record RunIdentity(string Host, int Pid, DateTimeOffset ProcessStartUtc)
{
    // Process start times are derived from boot time and clock ticks; allow for rounding between readings.
    private static readonly TimeSpan StartTolerance = TimeSpan.FromSeconds(2);

    public static RunIdentity Current()
    {
        using var process = Process.GetCurrentProcess();
        return new RunIdentity(Environment.MachineName, process.Id, new DateTimeOffset(process.StartTime.ToUniversalTime(), TimeSpan.Zero));
    }

    /// <summary>On this host: is the process <paramref name="pid"/> that started at <paramref name="startUtc"/> still running?</summary>
    public static bool IsProcessAlive(int pid, DateTimeOffset startUtc)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            if (process.HasExited)
            {
                return false;
            }

            var started = new DateTimeOffset(process.StartTime.ToUniversalTime(), TimeSpan.Zero);
            return (started - startUtc).Duration() <= StartTolerance;
        }
        catch (ArgumentException)
        {
            return false; // no such process
        }
        catch (InvalidOperationException)
        {
            return false; // exited while we looked
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return true; // exists but we may not inspect it: assume alive rather than steal its work
        }
    }
}

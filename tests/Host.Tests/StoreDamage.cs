using System.Diagnostics;

namespace Scanflow.Host.Tests;

/// <summary>Breaks files of a simulated store with an h5py script (another writer than ours), run by Debian's python3.</summary>
internal static class StoreDamage
{
    /// <summary>Runs <paramref name="script"/> with the store's folder as its first argument.</summary>
    public static void Apply(string scratchDirectory, string store, string script)
    {
        var path = Path.Combine(scratchDirectory, "damage.py");
        File.WriteAllText(path, script);
        using var process = Process.Start(new ProcessStartInfo("/usr/bin/python3", [path, store]) { RedirectStandardError = true })!;
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, errors);
    }
}

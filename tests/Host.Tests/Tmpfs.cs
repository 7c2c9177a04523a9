using System.Diagnostics;
using System.Globalization;

namespace Scanflow.Host.Tests;

/// <summary>A small tmpfs of its own, mounted at a fresh directory under the temp folder and unmounted at the end: an
/// output disk that really fills up (ENOSPC, SQLITE_FULL) and can be made larger while a process uses it, or, read-only,
/// one that refuses every write, to root too. Needs root.</summary>
internal sealed class Tmpfs : IDisposable
{
    public Tmpfs(int megabytes, bool readOnly = false)
    {
        Directory.CreateDirectory(MountPoint);
        Mount("-t", "tmpfs", "-o", (readOnly ? "ro," : "") + Size(megabytes), "tmpfs", MountPoint);
    }

    public string MountPoint { get; } = Path.Combine(Path.GetTempPath(), "scanflow-tmpfs", Guid.NewGuid().ToString("N"));

    /// <summary>Makes it larger in place: files and open handles stay.</summary>
    public void Grow(int megabytes) => Mount("-o", $"remount,{Size(megabytes)}", MountPoint);

    public void Dispose()
    {
        Run("umount", "--lazy", MountPoint);
        Directory.Delete(MountPoint);
    }

    private static string Size(int megabytes) => string.Create(CultureInfo.InvariantCulture, $"size={megabytes}m");

    private static void Mount(params string[] args)
    {
        var (exitCode, errors) = Run("mount", args);
        Assert.True(exitCode == 0, $"mount {string.Join(' ', args)}: {errors} (the tests that fill a disk run as root)");
    }

    private static (int ExitCode, string Errors) Run(string command, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(command, args) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, errors.Trim());
    }
}

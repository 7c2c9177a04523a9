using System.Diagnostics;

namespace Scanflow.Host.Tests;

/// <summary><c>./scanflow.sh</c> builds only when a build input changed (issue 10, item 6): the decision, on a tree of
/// its own, and a call on the checkout that finds its build current.</summary>
public sealed class ScanflowScriptTests : IDisposable
{
    private readonly string _tree = Path.Combine(Path.GetTempPath(), "scanflow-host-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public void The_build_is_current_until_a_source_a_project_file_or_a_shared_setting_changes_Issue10()
    {
        var source = Make("src/Engine/Science/Kernel.cs");
        var project = Make("src/Host/Host.csproj");
        var props = Make("Directory.Build.props");
        Make("README.md");
        var dll = Make("src/Host/bin/Release/net10.0/scanflow.dll");
        var stamp = Path.Combine(_tree, "src/Host/obj/scanflow.sh.stamp");
        Directory.CreateDirectory(Path.GetDirectoryName(stamp)!);
        var built = new DateTime(2026, 1, 1, 12, 0, 0, DateTimeKind.Utc);
        foreach (var file in Directory.EnumerateFileSystemEntries(_tree, "*", SearchOption.AllDirectories))
        {
            File.SetLastWriteTimeUtc(file, built.AddHours(-1));
        }

        File.SetLastWriteTimeUtc(dll, built);
        Assert.True(IsCurrent(dll, stamp));

        File.SetLastWriteTimeUtc(Make("README.md"), built.AddHours(1)); // not a build input
        Assert.True(IsCurrent(dll, stamp));

        foreach (var input in new[] { source, project, props })
        {
            File.SetLastWriteTimeUtc(input, built.AddSeconds(1));
            Assert.False(IsCurrent(dll, stamp), input);
            File.SetLastWriteTimeUtc(input, built.AddHours(-1));
        }

        // A file deleted from src/ shows in its directory's time.
        File.Delete(source);
        Directory.SetLastWriteTimeUtc(Path.GetDirectoryName(source)!, built.AddSeconds(1));
        Assert.False(IsCurrent(dll, stamp));

        // A build MSBuild found nothing to write for leaves the DLL old: the stamp of that build says it is current.
        File.WriteAllText(stamp, "");
        File.SetLastWriteTimeUtc(stamp, built.AddSeconds(2));
        Assert.True(IsCurrent(dll, stamp));

        File.Delete(dll);
        Assert.False(IsCurrent(dll, stamp));
    }

    [Fact]
    public void A_second_call_runs_at_once_and_says_nothing_about_a_build_Issue10()
    {
        // The first call builds if the checkout changed since its last build; the second finds nothing to do.
        Run(Repository.PathOf("scanflow.sh"), "--version");
        var dll = Repository.PathOf("src", "Host", "bin", "Release", "net10.0", "scanflow.dll");
        var before = File.GetLastWriteTimeUtc(dll);

        var (exitCode, stdout, stderr) = Run(Repository.PathOf("scanflow.sh"), "--version");

        Assert.Equal(0, exitCode);
        Assert.StartsWith("0.", stdout, StringComparison.Ordinal);
        Assert.Equal("", stderr);
        Assert.Equal(before, File.GetLastWriteTimeUtc(dll));
    }

    public void Dispose()
    {
        if (Directory.Exists(_tree))
        {
            Directory.Delete(_tree, recursive: true);
        }
    }

    private string Make(string relative)
    {
        var path = Path.Combine(_tree, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, relative);
        return path;
    }

    private bool IsCurrent(string dll, string stamp)
    {
        var script = $". '{Repository.PathOf("scripts", "build-freshness.sh")}' && build_is_current \"$1\" \"$2\" \"$3\"";
        var (exitCode, _, stderr) = Run("bash", "-c", script, "bash", _tree, dll, stamp);
        Assert.True(exitCode is 0 or 1, stderr);
        return exitCode == 0;
    }

    private static (int ExitCode, string Stdout, string Stderr) Run(string command, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(command, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }
}

using System.Diagnostics;

namespace Scanflow.Host.Tests;

/// <summary>deploy/systemd/scanflow.service as systemd itself reads it.</summary>
public class SystemdUnitTests
{
    [Fact]
    public async Task The_unit_passes_systemd_analyze_verify_without_a_warning()
    {
        var directory = Directory.CreateTempSubdirectory("scanflow-unit-");
        var unit = Path.Combine(directory.FullName, "scanflow.service");
        // The unit's ExecStart names the installed apphost; verify checks it exists, so point it at the one built here.
        var text = await File.ReadAllTextAsync(Repository.PathOf("deploy", "systemd", "scanflow.service"));
        Assert.Contains("ExecStart=/opt/scanflow/scanflow run", text, StringComparison.Ordinal);
        await File.WriteAllTextAsync(unit, text.Replace("ExecStart=/opt/scanflow/scanflow", "ExecStart=" + Path.Combine(AppContext.BaseDirectory, "scanflow"), StringComparison.Ordinal));

        var start = new ProcessStartInfo("systemd-analyze", ["verify", unit]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var verify = Process.Start(start)!;
        var output = await verify.StandardOutput.ReadToEndAsync() + await verify.StandardError.ReadToEndAsync();
        await verify.WaitForExitAsync();

        directory.Delete(recursive: true);
        Assert.Equal(0, verify.ExitCode);
        Assert.Equal("", output.Trim());
    }
}

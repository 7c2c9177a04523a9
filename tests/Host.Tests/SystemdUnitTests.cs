using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Scanflow.Host.Tests;

/// <summary>deploy/systemd/scanflow.service as systemd itself reads it: verified, and rated by <c>systemd-analyze
/// security</c>.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed partial class SystemdUnitTests : IDisposable
{
    /// <summary>The highest overall exposure the unit may be rated (it was 7.0 MEDIUM before it was hardened).</summary>
    private const double MaxExposure = 2.5;

    private static readonly string UnitPath = Repository.PathOf("deploy", "systemd", "scanflow.service");

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "scanflow-host-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task The_unit_passes_systemd_analyze_verify_without_a_warning()
    {
        Directory.CreateDirectory(_directory);
        var unit = Path.Combine(_directory, "scanflow.service");
        // The unit's ExecStart names the installed apphost; verify checks it exists, so point it at the one built here.
        var text = await File.ReadAllTextAsync(UnitPath);
        Assert.Contains("ExecStart=/opt/scanflow/scanflow run", text, StringComparison.Ordinal);
        await File.WriteAllTextAsync(unit, text.Replace("ExecStart=/opt/scanflow/scanflow", "ExecStart=" + Path.Combine(AppContext.BaseDirectory, "scanflow"), StringComparison.Ordinal));

        var (exitCode, output) = await RunAsync("systemd-analyze", "verify", unit);

        Assert.Equal(0, exitCode);
        Assert.Equal("", output.Trim());
    }

    [Fact]
    public async Task The_unit_is_rated_an_exposure_of_at_most_2_5_by_systemd_analyze_security()
    {
        var (exposure, _, output) = await SecurityAsync();

        Assert.True(exposure <= MaxExposure, $"systemd-analyze security rates the unit {exposure.ToString(CultureInfo.InvariantCulture)}, above {MaxExposure.ToString(CultureInfo.InvariantCulture)}:\n{output}");
    }

    [Fact]
    public async Task Every_exposure_left_in_the_unit_is_explained_by_a_comment_in_it()
    {
        var (_, open, output) = await SecurityAsync();
        var text = await File.ReadAllTextAsync(UnitPath);

        // "# ✗ NAME: why" beside the settings, NAME as systemd-analyze prints it.
        var unexplained = open.Where(name => !text.Contains($"# ✗ {name}: ", StringComparison.Ordinal)).ToList();
        Assert.True(unexplained.Count == 0, $"no '# ✗ NAME: reason' comment in the unit for: {string.Join(", ", unexplained)}\n{output}");
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    /// <summary>The overall exposure and the names of the ✗ lines, as <c>systemd-analyze security --offline=true</c>
    /// prints them for the unit file as it is in the repository.</summary>
    private static async Task<(double Exposure, List<string> Open, string Output)> SecurityAsync()
    {
        var (exitCode, output) = await RunAsync("systemd-analyze", "security", "--offline=true", "--no-pager", UnitPath);
        Assert.True(exitCode == 0, output);
        var overall = OverallExposure().Match(output);
        Assert.True(overall.Success, output);
        var open = output.Split('\n').Select(l => OpenSetting().Match(l)).Where(m => m.Success).Select(m => m.Groups[1].Value).ToList();
        return (double.Parse(overall.Groups[1].Value, CultureInfo.InvariantCulture), open, output);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string command, params string[] args)
    {
        var start = new ProcessStartInfo(command, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["SYSTEMD_COLORS"] = "0";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    [GeneratedRegex(@"Overall exposure level for \S+: (\d+(?:\.\d+)?)")]
    private static partial Regex OverallExposure();

    [GeneratedRegex(@"^✗ (\S+)\s")]
    private static partial Regex OpenSetting();
}

using System.Globalization;
using System.Text.RegularExpressions;

namespace Scanflow.Host.Tests;

public sealed partial class DemoCommandTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "scanflow-host-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public void Demo_runs_the_service_on_a_simulated_night_and_compares_with_truth()
    {
        // Drops 0.5 s apart: the HFA science scan lands 2 s (two settle times) before its calibration, and waits for it.
        var result = ScanflowProcess.Run("demo", "--output", _directory, "--seconds", "4");

        Assert.True(result.ExitCode == 0, result.Output + result.Errors);
        Assert.Contains("WAITING for a calibration scan", result.Output, StringComparison.Ordinal);
        Assert.Contains("scan_000099_LFA_tp.h5: rejected", result.Output, StringComparison.Ordinal);
        Assert.Contains("The service stopped with exit code 0", result.Output, StringComparison.Ordinal);
        Assert.Equal(5, Directory.GetFiles(Path.Combine(_directory, "l1"), "*.l1.h5").Length);
        Assert.Contains("Done: 5 L1 products", result.Output, StringComparison.Ordinal);
        Assert.Contains($"QA report of the night: {Path.Combine(_directory, "report", "index.html")}", result.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_directory, "report", "index.html")));
        Assert.Equal(5, Directory.GetFiles(Path.Combine(_directory, "report"), "scan_*.html").Length);

        // The drifting night: every scan's largest T_A* error is smaller with gain interpolation than without.
        Assert.Contains("--gain-interpolation linear: exit code 0", result.Output, StringComparison.Ordinal);
        var rows = result.Output.Split('\n').Select(l => DriftRow().Match(l)).Where(m => m.Success).ToList();
        Assert.Equal(3, rows.Count);
        Assert.All(rows, row => Assert.True(
            double.Parse(row.Groups["linear"].Value, CultureInfo.InvariantCulture) < double.Parse(row.Groups["none"].Value, CultureInfo.InvariantCulture), row.Value));
    }

    [GeneratedRegex(@"^\s+\d+\s+[\d.]+\s+(?<none>[\d.]+) mK\s+(?<linear>[\d.]+) mK")]
    private static partial Regex DriftRow();

    [Fact]
    public void Demo_refuses_a_directory_that_is_not_its_own()
    {
        Directory.CreateDirectory(_directory);
        File.WriteAllText(Path.Combine(_directory, "thesis.tex"), "precious");

        var result = ScanflowProcess.Run("demo", "--output", _directory);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("not a demo directory", result.Errors, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_directory, "thesis.tex")));
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}

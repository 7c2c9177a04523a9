using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Scanflow.Host.Tests;

/// <summary>Runs the real <c>scanflow</c> executable built beside the tests, optionally under GNU time for peak RSS.</summary>
internal static partial class ScanflowProcess
{
    private static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "scanflow.dll");

    public static Result Run(params string[] args) => Start(measureMemory: false, new Dictionary<string, string>(), args);

    /// <summary>Runs with these environment variables added (e.g. <c>SCANFLOW__JMode</c>).</summary>
    public static Result Run(IReadOnlyDictionary<string, string> environment, params string[] args) => Start(measureMemory: false, environment, args);

    /// <summary>Runs <c>scanflow simulate --output OUTPUT ARGS</c>; a failure fails the test with its errors.</summary>
    public static void Simulate(string output, params string[] args)
    {
        var result = Run(["simulate", "--output", output, .. args]);
        Assert.True(result.ExitCode == 0, result.Errors);
    }

    /// <summary>Runs under <c>/usr/bin/time -v</c> and reads "Maximum resident set size" in KiB.</summary>
    public static Result RunMeasured(params string[] args) => Start(measureMemory: true, new Dictionary<string, string>(), args);

    private static Result Start(bool measureMemory, IReadOnlyDictionary<string, string> environment, string[] args)
    {
        var start = new ProcessStartInfo(measureMemory ? "/usr/bin/time" : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (measureMemory)
        {
            Assert.True(File.Exists("/usr/bin/time"), "/usr/bin/time is missing; run ./test.sh, which installs the Debian package 'time'");
            start.ArgumentList.Add("-v");
            start.ArgumentList.Add("dotnet");
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        start.ArgumentList.Add(Dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"scanflow {string.Join(' ', args)} did not finish within 5 minutes");
        }

        var errors = stderr.GetAwaiter().GetResult();
        var peak = measureMemory && PeakRss().Match(errors) is { Success: true } m ? long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) * 1024 : 0;
        return new Result(process.ExitCode, stdout.GetAwaiter().GetResult(), errors, peak);
    }

    [GeneratedRegex(@"Maximum resident set size \(kbytes\): (\d+)")]
    private static partial Regex PeakRss();

    internal sealed record Result(int ExitCode, string Output, string Errors, long PeakRssBytes);
}

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Scanflow.Host.Tests;

/// <summary>The real <c>scanflow run</c> process: started with flags and environment, its log followed line by line,
/// stopped with SIGTERM or SIGKILL. It listens on any free loopback port unless the test names a metrics URL.</summary>
internal sealed partial class ServiceProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();

    public ServiceProcess(IReadOnlyDictionary<string, string> environment, params string[] args)
        : this([], environment, args)
    {
    }

    /// <summary>Started through <paramref name="launcher"/> (a command and its arguments that run the rest, e.g. setpriv).</summary>
    public ServiceProcess(string[] launcher, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        // Port 0: tests run in parallel and would otherwise fight over 9464.
        string[] listen = args.Contains("--metrics-url") || environment.ContainsKey("SCANFLOW__MetricsUrl") ? [] : ["--metrics-url", "http://127.0.0.1:0/metrics"];
        string[] command = [.. launcher, "dotnet", Path.Combine(AppContext.BaseDirectory, "scanflow.dll"), "run", .. args, .. listen];
        var start = new ProcessStartInfo(command[0], command[1..])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => Add(e.Data);
        _process.ErrorDataReceived += (_, e) => Add(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Log => string.Join('\n', _lines);

    /// <summary>The metrics URL with the port the service really bound, from its "metrics at URL" line.</summary>
    public async Task<Uri> MetricsUrlAsync()
    {
        await WaitForAsync("metrics at ");
        return new Uri(_lines.Select(l => MetricsAt().Match(l)).First(m => m.Success).Groups[1].Value);
    }

    /// <summary>The report's URL (<c>/report/</c>) on the port the service really bound, from its "report at URL" line.</summary>
    public async Task<Uri> ReportUrlAsync()
    {
        await WaitForAsync("report at ");
        return new Uri(_lines.Select(l => ReportAt().Match(l)).First(m => m.Success).Groups[1].Value);
    }

    public int Count(string marker) => _lines.Count(l => l.Contains(marker, StringComparison.Ordinal));

    /// <summary>Waits until the log holds <paramref name="count"/> lines containing <paramref name="marker"/>.</summary>
    public async Task WaitForAsync(string marker, int count = 1, double timeoutSeconds = 90)
    {
        var watch = Stopwatch.StartNew();
        while (Count(marker) < count)
        {
            if (_process.HasExited || watch.Elapsed.TotalSeconds > timeoutSeconds)
            {
                Assert.Fail($"waited for {count} × '{marker}'; {(_process.HasExited ? "scanflow exited" : "timed out")}. Log:\n{Log}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Sends SIGTERM once the service is up and returns the exit code and how long the stop took.</summary>
    public async Task<(int ExitCode, TimeSpan Took)> TerminateAsync(double timeoutSeconds = 120)
    {
        // A SIGTERM before the host has installed its handler kills the process outright (exit 143).
        await WaitForAsync("watching");
        var watch = Stopwatch.StartNew();
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        return (await ExitAsync(timeoutSeconds), watch.Elapsed);
    }

    public async Task<int> ExitAsync(double timeoutSeconds = 120)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        await _process.WaitForExitAsync(timeout.Token);
        _process.WaitForExit();
        return _process.ExitCode;
    }

    public void Kill() => _process.Kill();

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    [GeneratedRegex(@"metrics at (\S+)")]
    private static partial Regex MetricsAt();

    [GeneratedRegex(@"report at (\S+)")]
    private static partial Regex ReportAt();

    private void Add(string? line)
    {
        if (line is not null)
        {
            _lines.Enqueue(line);
        }
    }
}

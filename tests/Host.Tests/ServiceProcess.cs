using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Scanflow.Host.Tests;

/// <summary>The real <c>scanflow run</c> process: started with flags and environment, its log followed line by line,
/// stopped with SIGTERM or SIGKILL.</summary>
internal sealed class ServiceProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();

    public ServiceProcess(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "scanflow.dll"), "run", .. args])
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

    private void Add(string? line)
    {
        if (line is not null)
        {
            _lines.Enqueue(line);
        }
    }
}

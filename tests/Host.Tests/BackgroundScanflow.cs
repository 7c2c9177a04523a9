using System.Diagnostics;

namespace Scanflow.Host.Tests;

/// <summary>The real <c>scanflow</c> running while the test acts on it: waited for, or killed with SIGKILL.</summary>
internal sealed class BackgroundScanflow : IDisposable
{
    private readonly Process _process;
    private readonly Task<string> _output;
    private readonly Task<string> _errors;

    public BackgroundScanflow(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "scanflow.dll"), .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        _process = Process.Start(start)!;
        _output = _process.StandardOutput.ReadToEndAsync();
        _errors = _process.StandardError.ReadToEndAsync();
    }

    /// <summary>Waits for the exit (at most 5 minutes) and returns what it wrote.</summary>
    public ScanflowProcess.Result Finish()
    {
        if (!_process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            _process.Kill(entireProcessTree: true);
            Assert.Fail("scanflow did not finish within 5 minutes");
        }

        return new ScanflowProcess.Result(_process.ExitCode, _output.GetAwaiter().GetResult(), _errors.GetAwaiter().GetResult(), 0);
    }

    /// <summary>SIGINT, as Ctrl+C sends it.</summary>
    public void Interrupt()
    {
        using var kill = Process.Start("kill", ["-INT", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    /// <summary>SIGKILL: the process gets no chance to cancel or record anything.</summary>
    public void Kill()
    {
        _process.Kill();
        _process.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }
}

using System.Diagnostics;

namespace Scanflow.Engine.Tests;

/// <summary>
/// Runs a Python snippet with the system interpreter, which has h5py and numpy from Debian
/// (./test.sh installs them). Tests use it as an independent HDF5 writer and reader.
/// </summary>
internal static class PythonScript
{
    /// <summary>The Debian interpreter; a pyenv or venv python3 on PATH lacks the Debian h5py.</summary>
    internal const string Interpreter = "/usr/bin/python3";

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    /// <summary>Writes <paramref name="code"/> to a temporary script, runs it with <paramref name="args"/> and returns stdout; fails the test with stderr on a non-zero exit.</summary>
    internal static string Run(string code, params string[] args)
    {
        if (!File.Exists(Interpreter))
        {
            Assert.Fail($"{Interpreter} is missing. Run ./test.sh, which installs python3, python3-h5py and python3-numpy.");
        }

        var script = Path.Combine(Path.GetTempPath(), $"scanflow-{Guid.NewGuid():N}.py");
        File.WriteAllText(script, code);
        try
        {
            var start = new ProcessStartInfo(Interpreter)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(script);
            foreach (var arg in args)
            {
                start.ArgumentList.Add(arg);
            }

            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(Timeout))
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"{Interpreter} {Path.GetFileName(script)} did not finish within {Timeout.TotalSeconds} s.");
            }

            var output = stdout.GetAwaiter().GetResult();
            var errors = stderr.GetAwaiter().GetResult();
            if (process.ExitCode != 0)
            {
                var hint = errors.Contains("No module named", StringComparison.Ordinal)
                    ? $"{Interpreter} lacks a module the test needs: run ./test.sh, which installs python3-h5py and python3-numpy.\n"
                    : string.Empty;
                Assert.Fail($"{hint}{Interpreter} exited with {process.ExitCode}:\n{errors}");
            }

            return output;
        }
        finally
        {
            File.Delete(script);
        }
    }

    /// <summary>Fails (never skips) when the interpreter cannot import h5py.</summary>
    internal static void RequireH5py() =>
        Run("import h5py, numpy\nprint(h5py.version.version)");
}

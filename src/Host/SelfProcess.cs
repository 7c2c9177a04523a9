using System.Diagnostics;

namespace Scanflow.Host;

/// <summary>Starts this same executable with other arguments (under <c>dotnet</c> when that is how it runs).</summary>
internal static class SelfProcess
{
    /// <summary>The command that starts this executable: its program, and the assembly when it runs under dotnet.</summary>
    public static IReadOnlyList<string> Command()
    {
        var self = Environment.ProcessPath!;
        return Path.GetFileNameWithoutExtension(self) == "dotnet" ? [self, typeof(SelfProcess).Assembly.Location] : [self];
    }

    public static ProcessStartInfo StartInfo(params string[] args)
    {
        var command = Command();
        var start = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in command.Skip(1).Concat(args))
        {
            start.ArgumentList.Add(arg);
        }

        return start;
    }

    /// <summary>Runs this executable with <paramref name="args"/> to its end: its exit code and what it wrote on stderr.</summary>
    public static async Task<(int ExitCode, string Errors)> RunAsync(params string[] args)
    {
        using var process = Process.Start(StartInfo(args))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await output;
        await process.WaitForExitAsync();
        return (process.ExitCode, errors);
    }
}

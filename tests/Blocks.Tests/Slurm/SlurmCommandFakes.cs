using System.Runtime.Versioning;

namespace Scanflow.Blocks.Tests;

/// <summary>Shell scripts standing in for sbatch, squeue and scancel, to inject failures and odd output: each
/// appends its arguments, NUL-terminated and one call per line, to a file beside it.</summary>
internal sealed class SlurmCommandFakes(string directory)
{
    /// <summary>Writes an executable fake named <paramref name="name"/> whose body runs after it recorded its call.</summary>
    [SupportedOSPlatform("linux")]
    public string Write(string name, string body)
    {
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, $"#!/bin/sh\nprintf '%s\\0' \"$@\" >> '{CallsFile(name)}'\necho >> '{CallsFile(name)}'\n{body}\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    /// <summary>The argument lists the fake was called with, one per call.</summary>
    public IReadOnlyList<string[]> Calls(string name)
    {
        var file = CallsFile(name);
        return File.Exists(file)
            ? [.. File.ReadAllText(file).Split("\0\n", StringSplitOptions.RemoveEmptyEntries).Select(call => call.Split('\0'))]
            : [];
    }

    private string CallsFile(string name) => Path.Combine(directory, name + ".calls");
}

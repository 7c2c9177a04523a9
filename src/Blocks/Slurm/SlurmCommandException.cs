namespace Scanflow.Blocks;

/// <summary>A SLURM command (sbatch, squeue, scancel) could not be started, failed, or printed what it never
/// prints; the message names the command and what it said.</summary>
internal sealed class SlurmCommandException : Exception
{
    public SlurmCommandException()
    {
    }

    public SlurmCommandException(string message)
        : base(message)
    {
    }

    public SlurmCommandException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The program that failed ("sbatch").</summary>
    public string Command { get; init; } = "";

    /// <summary>Its exit code; null when it did not run to an exit.</summary>
    public int? ExitCode { get; init; }

    /// <summary>What it wrote to stderr.</summary>
    public string StandardError { get; init; } = "";

    /// <summary>"sbatch failed (exit code 1): sbatch: error: ...; sbatch: error: ...": stderr's lines joined into
    /// the one sentence.</summary>
    public static SlurmCommandException Failed(string command, int exitCode, string standardError)
    {
        var said = string.Join("; ", standardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        var message = said.Length == 0 ? $"{command} failed (exit code {exitCode}) and wrote nothing to stderr." : $"{command} failed (exit code {exitCode}): {said.TrimEnd('.')}.";
        return new SlurmCommandException(message) { Command = command, ExitCode = exitCode, StandardError = standardError };
    }
}

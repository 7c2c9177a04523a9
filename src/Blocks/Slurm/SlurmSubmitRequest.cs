using System.Globalization;

namespace Scanflow.Blocks;

/// <summary>One job array: <paramref name="Tasks"/> copies of a batch script, task i running with
/// SLURM_ARRAY_TASK_ID=i and the same <paramref name="ScriptArguments"/>.</summary>
/// <param name="ScriptPath">The batch script sbatch sends to the node (made absolute, so a name starting with '-' is
/// never read as an option).</param>
/// <param name="ScriptArguments">The script's $1, $2, ...: passed literally, never through a shell.</param>
/// <param name="JobName">--job-name, which <see cref="SlurmClient.QueryAsync"/> finds the tasks by; squeue takes a
/// comma-separated list of names, so it may not hold a comma.</param>
/// <param name="Comment">--comment, one line, readable back from squeue; null for none.</param>
/// <param name="Tasks">The array holds tasks 0 to Tasks - 1.</param>
/// <param name="MaxConcurrent">At most this many tasks of the array run at once (the "%N" of --array); null for no
/// limit.</param>
/// <param name="OutputDirectory">Each task's stdout and stderr go to OutputDirectory/slurm-JOBID_TASK.out. sbatch
/// reads '%' there as a pattern and a backslash as "expand no pattern", so '%' is escaped and a backslash
/// refused.</param>
/// <param name="WorkingDirectory">--chdir of the tasks; null for the directory sbatch is started in.</param>
/// <param name="Resources">Partition, account, CPUs, memory, time limit and site options.</param>
internal sealed record SlurmSubmitRequest(
    string ScriptPath,
    IReadOnlyList<string> ScriptArguments,
    string JobName,
    string? Comment,
    int Tasks,
    int? MaxConcurrent,
    string OutputDirectory,
    string? WorkingDirectory,
    SlurmResources Resources)
{
    /// <summary>sbatch's argument words (without the program name); throws ArgumentException naming the property
    /// when the request cannot be expressed to sbatch.</summary>
    public IReadOnlyList<string> ToSbatchArguments()
    {
        Validate();
        var maxConcurrent = MaxConcurrent is { } limit ? "%" + limit.ToString(CultureInfo.InvariantCulture) : "";
        var arguments = new List<string>
        {
            "--parsable",
            "--job-name=" + JobName,
            $"--array=0-{(Tasks - 1).ToString(CultureInfo.InvariantCulture)}{maxConcurrent}",
            "--output=" + Path.Combine(Path.GetFullPath(OutputDirectory).Replace("%", "%%", StringComparison.Ordinal), "slurm-%A_%a.out"),
        };
        if (Comment is not null)
        {
            arguments.Add("--comment=" + Comment);
        }

        if (WorkingDirectory is not null)
        {
            arguments.Add("--chdir=" + Path.GetFullPath(WorkingDirectory));
        }

        AddIfSet(arguments, "--partition=", Resources.Partition);
        AddIfSet(arguments, "--account=", Resources.Account);
        AddIfSet(arguments, "--qos=", Resources.Qos);
        AddIfSet(arguments, "--cpus-per-task=", Resources.CpusPerTask?.ToString(CultureInfo.InvariantCulture));
        AddIfSet(arguments, "--mem=", Resources.MemoryMegabytes is { } megabytes ? megabytes.ToString(CultureInfo.InvariantCulture) + "M" : null);
        AddIfSet(arguments, "--time=", Resources.TimeLimit is { } limitTime ? SlurmTimeLimit(limitTime) : null);
        arguments.AddRange(Resources.ExtraArguments);
        // "--" ends sbatch's options: every word after the script is the script's, even one starting with '-'.
        arguments.Add("--");
        arguments.Add(Path.GetFullPath(ScriptPath));
        arguments.AddRange(ScriptArguments);
        return arguments;
    }

    /// <summary>SLURM's "days-hours:minutes:seconds", rounded up to a whole second.</summary>
    internal static string SlurmTimeLimit(TimeSpan limit)
    {
        var seconds = (long)Math.Ceiling(limit.TotalSeconds);
        return string.Create(CultureInfo.InvariantCulture, $"{seconds / 86400}-{seconds / 3600 % 24:00}:{seconds / 60 % 60:00}:{seconds % 60:00}");
    }

    private static void AddIfSet(List<string> arguments, string option, string? value)
    {
        if (value is not null)
        {
            arguments.Add(option + value);
        }
    }

    private void Validate()
    {
        if (string.IsNullOrEmpty(JobName) || JobName.Contains(',', StringComparison.Ordinal) || JobName.Contains('\n', StringComparison.Ordinal))
        {
            throw new ArgumentException($"JobName '{JobName}' must be non-empty without a comma or newline (squeue --name takes a comma-separated list).", nameof(JobName));
        }

        if (Comment is not null && (Comment.Contains('\n', StringComparison.Ordinal) || Comment.Contains('\r', StringComparison.Ordinal)))
        {
            throw new ArgumentException("Comment must be one line: squeue prints it as the last field of a line.", nameof(Comment));
        }

        if (Tasks < 1)
        {
            throw new ArgumentException($"Tasks is {Tasks}; a job array needs at least 1 task.", nameof(Tasks));
        }

        if (MaxConcurrent is < 1)
        {
            throw new ArgumentException($"MaxConcurrent is {MaxConcurrent}; it must be at least 1, or null for no limit.", nameof(MaxConcurrent));
        }

        if (OutputDirectory.Contains('\\', StringComparison.Ordinal))
        {
            throw new ArgumentException($"OutputDirectory '{OutputDirectory}' holds a backslash, which makes sbatch expand no pattern in --output (no per-task file name).", nameof(OutputDirectory));
        }

        if (Resources.CpusPerTask is < 1 || Resources.MemoryMegabytes is < 1 || Resources.TimeLimit is { } time && time <= TimeSpan.Zero)
        {
            throw new ArgumentException("Resources: CpusPerTask, MemoryMegabytes and TimeLimit must be positive when set.", nameof(Resources));
        }
    }
}

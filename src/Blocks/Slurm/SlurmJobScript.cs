using System.Text;

namespace Scanflow.Blocks;

/// <summary>The batch script every array task runs: the worker command for one shard of a plan. The plan's path
/// arrives as $1 from sbatch's argument list and the shard as SLURM_ARRAY_TASK_ID, so the script is the same for
/// every plan.</summary>
internal static class SlurmJobScript
{
    /// <summary>The script's text: "#!/bin/sh" and one exec of the command words, each single-quoted.</summary>
    public static string Text(IReadOnlyList<string> command)
    {
        if (command.Count == 0)
        {
            throw new ArgumentException("The worker command needs at least the program.", nameof(command));
        }

        var text = new StringBuilder("#!/bin/sh\n");
        // exec: the task's process is the worker itself, so scancel's signals reach it directly.
        text.Append("exec");
        foreach (var word in command)
        {
            if (word.Contains('\0', StringComparison.Ordinal))
            {
                throw new ArgumentException("A command word cannot hold a NUL character.", nameof(command));
            }

            text.Append(' ').Append(Quote(word));
        }

        text.Append(" worker --plan \"$1\" --shard \"$SLURM_ARRAY_TASK_ID\"\n");
        return text.ToString();
    }

    /// <summary>Writes the script to <paramref name="path"/> (rwxr-xr-x), flushed to disk and renamed into place, so
    /// a node never reads half a script.</summary>
    public static void Write(string path, IReadOnlyList<string> command)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("A SLURM job script is a POSIX shell script with Unix file modes.");
        }

        var text = Text(command);
        var partial = path + ".partial";
        var options = new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute,
        };
        using (var stream = new FileStream(partial, options))
        {
            stream.Write(new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text));
            stream.Flush(flushToDisk: true);
        }

        File.Move(partial, path, overwrite: true);
    }

    /// <summary>A word the shell reads back literally: inside single quotes nothing is special but the quote itself,
    /// which closes the quote, is escaped, and reopens it ('\'').</summary>
    internal static string Quote(string word) => "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}

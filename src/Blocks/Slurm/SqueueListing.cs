using System.Globalization;

namespace Scanflow.Blocks;

/// <summary>The squeue output format <see cref="SlurmClient.QueryAsync"/> asks for, and its parser.</summary>
internal static class SqueueListing
{
    /// <summary>Array job id, array task id, state, reason, node list, comment, separated by '|' (which SLURM allows
    /// in none of the first five). The comment comes last, so a '|' in it stays in it. Without a width, squeue
    /// prints every field in full.</summary>
    public const string Format = "%F|%K|%T|%r|%N|%k";

    private const int FieldsBeforeComment = 5;

    /// <summary>One status per array task (or plain job) in squeue's output. A line for several tasks still pending
    /// together (task id "1-4%2", which squeue --array normally expands itself) gives one status per task.</summary>
    public static IReadOnlyList<SlurmTaskStatus> Parse(string output)
    {
        var statuses = new List<SlurmTaskStatus>();
        foreach (var rawLine in output.Split('\n'))
        {
            var line = rawLine.TrimEnd('\r');
            if (line.Trim().Length == 0)
            {
                continue;
            }

            var fields = line.Split('|', FieldsBeforeComment + 1);
            if (fields.Length != FieldsBeforeComment + 1)
            {
                throw new FormatException($"squeue printed '{line}', not the {FieldsBeforeComment + 1} '|'-separated fields of {Format}.");
            }

            var jobId = fields[0].Trim();
            var rawState = fields[2].Trim();
            var node = fields[4].Trim();
            // squeue prints "(null)" for a job without a comment.
            var comment = fields[5] == "(null)" ? "" : fields[5];
            foreach (var taskId in TaskIds(fields[1].Trim(), line))
            {
                statuses.Add(new SlurmTaskStatus(jobId, taskId, SlurmStates.Parse(rawState), rawState, fields[3].Trim(), node.Length == 0 ? null : node, comment));
            }
        }

        return statuses;
    }

    /// <summary>The task ids of squeue's %K: "N/A" for a plain job, "3", or a pending range "[0-9:2,12]%4".</summary>
    private static List<int?> TaskIds(string field, string line)
    {
        if (field is "N/A" or "")
        {
            return [null];
        }

        var ranges = field.Trim('[', ']');
        var limit = ranges.IndexOf('%', StringComparison.Ordinal);
        if (limit >= 0)
        {
            ranges = ranges[..limit].TrimEnd(']');
        }

        var ids = new List<int?>();
        foreach (var range in ranges.Split(','))
        {
            var stepAt = range.IndexOf(':', StringComparison.Ordinal);
            var step = stepAt >= 0 ? Number(range[(stepAt + 1)..], line) : 1;
            var bounds = (stepAt >= 0 ? range[..stepAt] : range).Split('-');
            var first = Number(bounds[0], line);
            var last = bounds.Length == 2 ? Number(bounds[1], line) : first;
            if (bounds.Length > 2 || step < 1 || last < first)
            {
                throw new FormatException($"squeue printed the array task ids '{field}' in '{line}', which are not a range.");
            }

            for (var id = first; id <= last; id += step)
            {
                ids.Add(id);
            }
        }

        return ids;
    }

    private static int Number(string text, string line) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException($"squeue printed '{text}' where a task id belongs in '{line}'.");
}

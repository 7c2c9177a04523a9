namespace Scanflow.Blocks.Tests;

public class SqueueListingTests
{
    /// <summary>Printed by squeue 22.05 for SqueueListing.Format: an array with a running and pending tasks, a plain
    /// job, a comment holding the separator, a job without a comment.</summary>
    private const string Listing = """
        8|1|PENDING|JobArrayTaskLimit||shard | plan ü
        8|0|RUNNING|None|localhost|shard | plan ü
        9|N/A|COMPLETED|None|localhost|plain
        10|0|CANCELLED|None|localhost|(null)

        """;

    [Fact]
    public void Parse_gives_one_status_per_line_with_the_comment_whole()
    {
        var statuses = SqueueListing.Parse(Listing);

        Assert.Equal(
        [
            new SlurmTaskStatus("8", 1, SlurmState.Pending, "PENDING", "JobArrayTaskLimit", null, "shard | plan ü"),
            new SlurmTaskStatus("8", 0, SlurmState.Running, "RUNNING", "None", "localhost", "shard | plan ü"),
            new SlurmTaskStatus("9", null, SlurmState.Completed, "COMPLETED", "None", "localhost", "plain"),
            new SlurmTaskStatus("10", 0, SlurmState.Cancelled, "CANCELLED", "None", "localhost", ""),
        ], statuses);
    }

    [Theory]
    [InlineData("1-4%1", new[] { 1, 2, 3, 4 })]
    [InlineData("[1-4%1]", new[] { 1, 2, 3, 4 })]
    [InlineData("[0-6:3,9]", new[] { 0, 3, 6, 9 })]
    [InlineData("5", new[] { 5 })]
    public void Parse_expands_a_line_for_tasks_still_pending_together(string taskIds, int[] expected)
    {
        var statuses = SqueueListing.Parse($"12|{taskIds}|PENDING|JobArrayTaskLimit||c\n");

        Assert.Equal(expected, statuses.Select(status => status.TaskId!.Value));
        Assert.All(statuses, status => Assert.Equal(("12", SlurmState.Pending), (status.JobId, status.State)));
    }

    [Theory]
    [InlineData("8|0|RUNNING|None")]
    [InlineData("8|x|RUNNING|None|localhost|c")]
    [InlineData("8|4-1|RUNNING|None|localhost|c")]
    public void Parse_refuses_a_line_that_is_not_the_asked_format(string line) =>
        Assert.Throws<FormatException>(() => SqueueListing.Parse(line));

    [Fact]
    public void Parse_of_no_jobs_is_empty() => Assert.Empty(SqueueListing.Parse("\n"));
}

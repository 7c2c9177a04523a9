namespace Scanflow.Blocks.Tests;

public class SlurmSubmitRequestTests
{
    private static readonly SlurmSubmitRequest Request = new(
        "/srv/plans/job.sh", ["/srv/plans/plan 1.json", "-x"], "scanflow-42", "plan 42 | night", 8, null, "/srv/logs", "/srv/work dir", new SlurmResources());

    [Fact]
    public void ToSbatchArguments_passes_every_setting_as_one_word_and_the_script_after_the_end_of_options()
    {
        var request = Request with
        {
            MaxConcurrent = 3,
            Resources = new SlurmResources
            {
                Partition = "cpu",
                Account = "chai",
                Qos = "normal",
                CpusPerTask = 4,
                MemoryMegabytes = 16000,
                TimeLimit = TimeSpan.FromMinutes(90),
                ExtraArguments = ["--constraint=avx2 & ib", "--nice=10"],
            },
        };

        Assert.Equal(
        [
            "--parsable", "--job-name=scanflow-42", "--array=0-7%3", "--output=/srv/logs/slurm-%A_%a.out",
            "--comment=plan 42 | night", "--chdir=/srv/work dir", "--partition=cpu", "--account=chai", "--qos=normal",
            "--cpus-per-task=4", "--mem=16000M", "--time=0-01:30:00", "--constraint=avx2 & ib", "--nice=10",
            "--", "/srv/plans/job.sh", "/srv/plans/plan 1.json", "-x",
        ], request.ToSbatchArguments());
    }

    [Fact]
    public void ToSbatchArguments_leaves_unset_options_to_the_cluster_and_makes_paths_absolute()
    {
        var request = Request with { ScriptPath = "-job.sh", Comment = null, WorkingDirectory = null, OutputDirectory = "logs" };

        Assert.Equal(
        [
            "--parsable", "--job-name=scanflow-42", "--array=0-7",
            "--output=" + Path.Combine(Environment.CurrentDirectory, "logs", "slurm-%A_%a.out"),
            "--", Path.Combine(Environment.CurrentDirectory, "-job.sh"), "/srv/plans/plan 1.json", "-x",
        ], request.ToSbatchArguments());
    }

    /// <summary>sbatch reads "%x" in --output as a pattern: a directory named "100%x" must stay that directory.</summary>
    [Fact]
    public void ToSbatchArguments_escapes_percent_in_the_output_directory()
    {
        var output = (Request with { OutputDirectory = "/srv/100%x/%A" }).ToSbatchArguments()[3];

        Assert.Equal("--output=/srv/100%%x/%%A/slurm-%A_%a.out", output);
    }

    [Theory]
    [InlineData(90, "0-00:01:30")]
    [InlineData(1.5, "0-00:00:02")]
    [InlineData(2 * 86400 + 3 * 3600 + 4 * 60 + 5, "2-03:04:05")]
    public void SlurmTimeLimit_is_days_hours_minutes_seconds_rounded_up(double seconds, string expected) =>
        Assert.Equal(expected, SlurmSubmitRequest.SlurmTimeLimit(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void ToSbatchArguments_refuses_what_sbatch_or_squeue_would_misread()
    {
        Assert.Equal("JobName", Assert.Throws<ArgumentException>(() => (Request with { JobName = "a,b" }).ToSbatchArguments()).ParamName);
        Assert.Equal("Comment", Assert.Throws<ArgumentException>(() => (Request with { Comment = "a\nb" }).ToSbatchArguments()).ParamName);
        Assert.Equal("Tasks", Assert.Throws<ArgumentException>(() => (Request with { Tasks = 0 }).ToSbatchArguments()).ParamName);
        Assert.Equal("MaxConcurrent", Assert.Throws<ArgumentException>(() => (Request with { MaxConcurrent = 0 }).ToSbatchArguments()).ParamName);
        Assert.Equal("OutputDirectory", Assert.Throws<ArgumentException>(() => (Request with { OutputDirectory = "/srv/a\\b" }).ToSbatchArguments()).ParamName);
        Assert.Equal("Resources", Assert.Throws<ArgumentException>(
            () => (Request with { Resources = new SlurmResources { TimeLimit = TimeSpan.Zero } }).ToSbatchArguments()).ParamName);
    }
}

using System.Diagnostics;
using System.Runtime.Versioning;
using Scanflow.Engine.Tests;

namespace Scanflow.Blocks.Tests;

public class SlurmJobScriptTests
{
    [Fact]
    public void Text_execs_the_quoted_command_with_the_plan_and_the_array_task()
    {
        var text = SlurmJobScript.Text(["/usr/bin/dotnet", "/opt/scan flow/scanflow.dll"]);

        Assert.Equal(
            "#!/bin/sh\nexec '/usr/bin/dotnet' '/opt/scan flow/scanflow.dll' worker --plan \"$1\" --shard \"$SLURM_ARRAY_TASK_ID\"\n",
            text);
    }

    /// <summary>The script run by the real /bin/sh hands every command word, the plan and the shard to the program
    /// literally: nothing in a word is expanded, substituted or split.</summary>
    [Fact]
    [SupportedOSPlatform("linux")]
    public void Write_gives_a_script_that_sh_runs_with_every_word_literal()
    {
        using var temp = new TempDirectory();
        var seen = temp.Combine("argv");
        var marker = temp.Combine("pwned");
        string[] words = ["it's", "\"double\"", $"$(touch {marker})", $"`touch {marker}`", "$HOME", "a\nb", "back\\slash", "-dash", "", "ü λ", "*"];
        var plan = temp.Combine($"-plan 'x' $(touch {marker}) 100% ü.json");
        var script = temp.Combine("job.sh");
        // sh -c 'SCRIPT' $0 ARGS...: the script prints each of its arguments NUL-terminated.
        SlurmJobScript.Write(script, ["/bin/sh", "-c", "printf '%s\\0' \"$@\" > \"$SEEN\"", "$0", .. words]);

        var start = new ProcessStartInfo(script) { UseShellExecute = false };
        start.ArgumentList.Add(plan);
        start.Environment["SLURM_ARRAY_TASK_ID"] = "7";
        start.Environment["SEEN"] = seen;
        using (var process = Process.Start(start)!)
        {
            process.WaitForExit();
            Assert.Equal(0, process.ExitCode);
        }

        Assert.Equal([.. words, "worker", "--plan", plan, "--shard", "7"], File.ReadAllText(seen).Split('\0')[..^1]);
        Assert.False(File.Exists(marker), "a command word was run by the shell");
        Assert.Equal(
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead
                | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute,
            File.GetUnixFileMode(script));
        Assert.Equal(["job.sh", "argv"], Directory.GetFiles(temp.Path).Select(Path.GetFileName).Order().Reverse());
    }

    [Fact]
    public void Text_refuses_an_empty_command() =>
        Assert.Throws<ArgumentException>(() => SlurmJobScript.Text([]));
}

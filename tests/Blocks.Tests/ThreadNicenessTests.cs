namespace Scanflow.Blocks.Tests;

public class ThreadNicenessTests
{
    /// <summary>The plot thread's lower priority is the kernel's, per thread: its nice value in /proc changes, the
    /// calling thread's does not.</summary>
    [Fact]
    public void Lower_sets_the_nice_value_of_the_calling_thread_only_14()
    {
        var before = NiceOfThisThread();
        (bool Set, int Nice) lowered = default;
        var thread = new Thread(() => lowered = (ThreadNiceness.Lower(before + 5), NiceOfThisThread()));

        thread.Start();
        thread.Join();

        Assert.Equal((true, before + 5), lowered);
        Assert.Equal(before, NiceOfThisThread());
    }

    /// <summary>Field 19 of /proc/thread-self/stat (after the command name in parentheses, which may hold spaces).</summary>
    private static int NiceOfThisThread()
    {
        var stat = File.ReadAllText("/proc/thread-self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[19 - 3], System.Globalization.CultureInfo.InvariantCulture);
    }
}

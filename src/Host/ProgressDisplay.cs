using System.Globalization;
using Scanflow.Blocks;
using Spectre.Console;

namespace Scanflow.Host;

/// <summary>Live progress while a run goes on: a Spectre.Console bar with MB/s and per-stage activity on a terminal,
/// a plain status line every 10 s otherwise (logs, CI, batch jobs).</summary>
internal static class ProgressDisplay
{
    public static bool Interactive => !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;

    public static async Task FollowAsync(CalibrationRunner runner, Task run, RunSummary summary, int total)
    {
        var started = DateTime.UtcNow;
        if (!Interactive)
        {
            while (await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(10))) != run)
            {
                Console.WriteLine(Status(runner, summary, total, started));
            }

            return;
        }

        await AnsiConsole.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask("scans", maxValue: Math.Max(1, total));
                while (!run.IsCompleted)
                {
                    await Task.WhenAny(run, Task.Delay(250));
                    task.Value = summary.Done;
                    task.Description = Markup.Escape(Status(runner, summary, total, started));
                }

                task.Value = task.MaxValue;
            });
    }

    private static string Status(CalibrationRunner runner, RunSummary summary, int total, DateTime started)
    {
        var seconds = Math.Max((DateTime.UtcNow - started).TotalSeconds, 1e-3);
        var stages = string.Join(" ", runner.Activity().Where(a => a.Stage != PipelineStage.Record)
            .Select(a => string.Create(CultureInfo.InvariantCulture, $"{PipelineStages.Name(a.Stage)} {a.Busy}+{a.Queued}")));
        return string.Create(CultureInfo.InvariantCulture, $"{summary.Done}/{total} scans, {runner.BytesRead / 1e6 / seconds:F1} MB/s | {stages}");
    }
}

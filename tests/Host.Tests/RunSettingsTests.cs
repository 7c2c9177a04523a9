using System.Text.Json;
using Scanflow.Engine.Formats;
using Scanflow.Engine.Ledger;
using Scanflow.Engine.Processing;
using Scanflow.Engine.Science;

namespace Scanflow.Host.Tests;

/// <summary>Issue 9: <c>scanflow calibrate</c> and <c>scanflow run</c> share one settings type: the same keys and flags,
/// the same sources (scanflow.json, SCANFLOW__ environment variables, flags winning) and the same sentence for a bad value.</summary>
public sealed class RunSettingsTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "scanflow-host-tests", Guid.NewGuid().ToString("N"));

    private string Store => Path.Combine(_directory, "store");

    private string Drop => Path.Combine(_directory, "drop");

    private string Output => Path.Combine(_directory, "l1");

    [Theory]
    [InlineData("--max-retries", "200", "", "Scanflow:MaxRetries = 200 is out of range; --max-retries must be between 0 and 100 retries")]
    [InlineData("--grace", "-1", "", "Scanflow:ShutdownGraceSeconds = -1 is out of range; --grace must be between 0 and 3600 seconds")]
    [InlineData("--jmode", "kelvin", "", "Scanflow:JMode = 'kelvin' is not allowed; --jmode must be planck, callen_welton or rj")]
    [InlineData("--retry-delay-seconds", "soon", "", "Scanflow:RetryDelaySeconds = 'soon' is not a number; --retry-delay-seconds must be between 0 and 3600 seconds")]
    [InlineData("", "", "SCANFLOW__ChunkMb=0", "Scanflow:ChunkMb = 0 is out of range; --chunk-mb must be between 0.01 and 4096 MiB")]
    [InlineData("--memory-limit-mb", "64", "", "Scanflow:MemoryLimitMb = 64 is out of range; --memory-limit-mb must be between 128 and 1048576 MiB")]
    [InlineData("", "", "SCANFLOW__Parallelism__prepare=65", "Scanflow:Parallelism:prepare = 65 is out of range; N in --parallelism prepare=N must be between 1 and 64 workers")]
    [InlineData("", "", "SCANFLOW__VersionPolicy=newest", "Scanflow:VersionPolicy = 'newest' is not allowed; --version-policy must be compatible or exact")]
    [InlineData("--executor", "cloud", "", "Scanflow:Executor = 'cloud' is not allowed; --executor must be local or slurm")]
    [InlineData("--max-jobs", "4", "", "Scanflow:MaxJobs is set but Scanflow:Executor is local; use --executor slurm, or remove --max-jobs")]
    [InlineData("--executor", "slurm", "SCANFLOW__Slurm__Overrides__XFA__Partition=big", "Scanflow:Slurm:Overrides:XFA names no band or observing mode; use a band (LFA, HFA), a mode (TP, OTF) or BAND/MODE")]
    [InlineData("--executor", "slurm", "SCANFLOW__Slurm__ExtraArguments__0=--job-name=mine", "Scanflow:Slurm:ExtraArguments holds '--job-name=mine', which scanflow sets itself (job name, comment, array, output, working directory, parsable): remove it")]
    [InlineData("--executor", "slurm", "SCANFLOW__Slurm__CpusPerTask=0", "Scanflow:Slurm:CpusPerTask = 0 is out of range; Scanflow:Slurm:CpusPerTask must be between 1 and 4096 CPUs")]
    public async Task A_bad_value_stops_calibrate_and_run_with_the_same_sentence_9(string flag, string value, string environment, string sentence)
    {
        Directory.CreateDirectory(Drop);
        var env = new Dictionary<string, string>();
        if (environment.Length > 0)
        {
            var parts = environment.Split('=', 2);
            env[parts[0]] = parts[1];
        }

        string[] given = flag.Length > 0 ? [flag, value] : [];

        var calibrate = ScanflowProcess.Run(env, ["calibrate", Store, "--output", Output, .. given]);
        using var service = new ServiceProcess(env, ["--drop", Drop, "--output", Output, .. given]);
        var serviceExit = await service.ExitAsync(60);

        Assert.Equal(1, calibrate.ExitCode);
        Assert.Equal($"scanflow calibrate: {sentence}", calibrate.Errors.Trim());
        Assert.Equal(1, serviceExit);
        Assert.Equal($"scanflow run: {sentence}", service.Log.Trim());
    }

    [Fact]
    public void Calibrate_takes_its_settings_from_scanflow_json_and_the_environment_and_flags_win_9()
    {
        Simulate();
        var first = Path.Combine(_directory, "first");
        var second = Path.Combine(_directory, "second");
        var config = Path.Combine(_directory, "scanflow.json");
        File.WriteAllText(config, JsonSerializer.Serialize(new { Scanflow = new { Output = first, JMode = "callen_welton" } }));

        var fromFile = ScanflowProcess.Run("calibrate", Store, "--config", config);
        var environment = new Dictionary<string, string> { ["SCANFLOW__Output"] = second, ["SCANFLOW__JMode"] = "planck" };
        var overridden = ScanflowProcess.Run(environment, "calibrate", Store, "--config", config, "--jmode", "rj");

        Assert.True(fromFile.ExitCode == 0, fromFile.Output + fromFile.Errors);
        Assert.Equal([ConfigSha256(JMode.CallenWelton)], ConfigHashes(first));
        Assert.True(overridden.ExitCode == 0, overridden.Output + overridden.Errors);
        Assert.Equal([ConfigSha256(JMode.RayleighJeans)], ConfigHashes(second));
    }

    [Fact]
    public async Task The_service_calibrates_with_its_jmode_and_retries_after_its_retry_delay_9()
    {
        Simulate();
        Directory.CreateDirectory(Drop);
        var science = Directory.GetFiles(Store, "*_tp.h5").Single();
        var blocked = L1FileNaming.PathFor(Output, RawScanFile.ReadHeader(science));
        Directory.CreateDirectory(blocked); // the product cannot be renamed into place: a transient I/O failure
        var environment = new Dictionary<string, string> { ["SCANFLOW__RescanSeconds"] = "1", ["SCANFLOW__ShutdownGraceSeconds"] = "20" };
        using var service = new ServiceProcess(
            environment, "--drop", Drop, "--output", Output, "--settle-seconds", "0.5", "--jmode", "rj", "--retry-delay-seconds", "4", "--max-retries", "1");
        await service.WaitForAsync("watching");
        foreach (var file in Directory.GetFiles(Store, "*.h5"))
        {
            File.Copy(file, Path.Combine(Drop, Path.GetFileName(file)));
        }

        await WaitUntilAsync(() => Attempts().Any(a => a.Status == ScanStatus.Failed), service);
        Directory.Delete(blocked);
        await service.WaitForAsync("calibrated →");
        Assert.Equal(0, (await service.TerminateAsync()).ExitCode);

        var attempts = Attempts();
        Assert.Equal([(1, ScanStatus.Failed, (FailureKind?)FailureKind.Transient), (2, ScanStatus.Succeeded, null)], attempts.Select(a => (a.Attempt, a.Status, a.FailureKind)));
        var delay = attempts[1].StartedUtc - attempts[0].FinishedUtc!.Value;
        Assert.True(delay >= TimeSpan.FromSeconds(4), $"the retry came {delay.TotalSeconds:F1} s after the failure; --retry-delay-seconds 4 asks for at least 4 s");
        Assert.All(attempts, a => Assert.Equal(ConfigSha256(JMode.RayleighJeans), a.ConfigSha256));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static string ConfigSha256(JMode mode) => new CalibrationOptions { JMode = mode }.Sha256();

    private static List<string> ConfigHashes(string output)
    {
        using var reader = LedgerReader.Open(Path.Combine(output, LedgerWriter.DefaultFileName));
        return [.. reader.Scans().Select(s => s.ConfigSha256).Distinct()];
    }

    private static async Task WaitUntilAsync(Func<bool> condition, ServiceProcess service)
    {
        for (var i = 0; i < 1200 && !condition(); i++)
        {
            await Task.Delay(50);
        }

        Assert.True(condition(), "the condition did not come true. Log:\n" + service.Log);
    }

    private List<AttemptRecord> Attempts()
    {
        var ledger = Path.Combine(Output, LedgerWriter.DefaultFileName);
        if (!File.Exists(ledger))
        {
            return [];
        }

        using var reader = LedgerReader.Open(ledger);
        return [.. reader.Attempts()];
    }

    private void Simulate()
    {
        var result = ScanflowProcess.Run(
            "simulate", "--output", Store, "--scans", "1", "--pixels", "2", "--channels", "64", "--on-dumps", "20", "--no-noise");
        Assert.True(result.ExitCode == 0, result.Errors);
    }
}

using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Scanflow.Engine.Ledger;

namespace Scanflow.Host.Tests;

/// <summary>Issue 12 against the real single-node SLURM cluster ./test.sh starts: the real <c>scanflow calibrate
/// --executor slurm</c> submits job arrays whose tasks run the real <c>scanflow worker</c>. One class, so its tests take
/// the cluster's two CPUs one after the other, while the rest of the suite runs beside them.</summary>
public sealed class SlurmExecutorTests : IDisposable
{
    // Not a file name any test makes: the command substitution in the odd file name would create it if a shell saw the name.
    private const string Pwned = "/tmp/pwned";
    private const string OddName = "odd name 'q' $(touch /tmp/pwned).h5";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "scanflow-host-tests", Guid.NewGuid().ToString("N"));

    public SlurmExecutorTests() => SlurmCluster.Require();

    private string Store => Path.Combine(_directory, "store");

    private string Output => Path.Combine(_directory, "l1 slurm");

    private string Ledger => Path.Combine(Output, LedgerWriter.DefaultFileName);

    /// <summary>The job name the coordinator of <see cref="Ledger"/> gives its arrays.</summary>
    private string JobName => "scanflow-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Ledger)))[..10];

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public void A_store_calibrated_on_slurm_has_the_local_executors_ta_star_bit_for_bit_from_one_array_of_several_tasks_12()
    {
        ScanflowProcess.Simulate(Store, "--scans", "6", "--pixels", "2", "--channels", "64");
        // The name holds slashes: below the store it is a file in directories named by its parts.
        Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(Store, OddName))!);
        File.Move(Path.Combine(Store, "scan_000004_LFA_tp.h5"), Path.Combine(Store, OddName));
        File.Delete(Pwned);
        var local = ScanflowProcess.Run("calibrate", Store, "--output", Path.Combine(_directory, "l1 local"));
        Assert.True(local.ExitCode == 0, local.Output + local.Errors);

        var slurm = ScanflowProcess.Run(SlurmSettings(), "calibrate", Store, "--output", Output);

        Assert.True(slurm.ExitCode == 0, slurm.Output + slurm.Errors);
        Assert.False(File.Exists(Pwned), $"a shell ran the command substitution in '{OddName}'");
        var tasks = SlurmCluster.Tasks(JobName);
        Assert.Single(tasks.Select(t => t.JobId).Distinct()); // one submission, one array
        Assert.True(tasks.Count >= 3, $"expected several array tasks, got {string.Join(", ", tasks)}");
        Assert.All(tasks, t => Assert.Equal("COMPLETED", t.State));
        var products = Directory.GetFiles(Output, "*.l1.h5").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(6, products.Count);
        Assert.Equal("identical", Python(CompareTaStar, Path.Combine(_directory, "l1 local"), Output).Trim());
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(Output, ".scanflow-slurm"))); // every scan succeeded: nothing kept
        var show = ScanflowProcess.Run("show", "4", "--output", Output);
        Assert.Contains($"slurm: job {tasks[0].JobId} task ", show.Output, StringComparison.Ordinal);
        Assert.Contains(OddName, show.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Tasks_that_fail_or_are_cancelled_are_resubmitted_and_a_scan_that_cannot_be_calibrated_fails_with_its_reason_12()
    {
        ScanflowProcess.Simulate(Store, "--scans", "6", "--pixels", "2", "--channels", "64");
        StoreDamage.Apply(_directory, Store, """
            import h5py, numpy as np, os, sys
            with h5py.File(os.path.join(sys.argv[1], 'scan_000007_LFA_tp.h5'), 'r+') as f:
                f['on/counts'][...] = np.nan
            """);
        var settings = SlurmSettings();
        settings["SCANFLOW_WORKER_EXIT_ON_FIRST_ATTEMPT"] = "3";
        settings["SCANFLOW_WORKER_START_DELAY_SECONDS"] = "6";
        using var coordinator = Start(settings, "calibrate", Store, "--output", Output);

        // A task without scan 3, whose own task exits at once on its first attempt.
        var running = WaitFor(
            () => SlurmCluster.Tasks(JobName).FirstOrDefault(t => t.State == "RUNNING" && t.Task != ShardOf(3).ToString(System.Globalization.CultureInfo.InvariantCulture)),
            TimeSpan.FromSeconds(90));
        SlurmCluster.Cancel($"{running.JobId}_{running.Task}");
        var result = coordinator.Finish();

        Assert.True(result.ExitCode == 2, result.Output + result.Errors);
        var rows = Rows();
        Assert.Equal(("FAILED", "PERMANENT"), (rows[7].Status, rows[7].Kind));
        Assert.All(rows.Where(r => r.Key != 7), r => Assert.Equal("SUCCEEDED", r.Value.Status));
        var errors = AttemptErrors();
        Assert.Contains(errors, e => e.Contains("FAILED", StringComparison.Ordinal) && e.StartsWith("SLURM task ", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("CANCELLED", StringComparison.Ordinal) && e.StartsWith("SLURM task ", StringComparison.Ordinal));
        Assert.Contains("scan 7", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_coordinator_killed_while_its_tasks_run_reattaches_on_restart_and_submits_nothing_twice_12()
    {
        ScanflowProcess.Simulate(Store, "--scans", "6", "--pixels", "2", "--channels", "64");
        var settings = SlurmSettings();
        settings["SCANFLOW_WORKER_START_DELAY_SECONDS"] = "8";
        using (var first = Start(settings, "calibrate", Store, "--output", Output))
        {
            WaitFor(() => SlurmCluster.Tasks(JobName).FirstOrDefault(t => t.State == "RUNNING"), TimeSpan.FromSeconds(90));
            first.Kill();
        }

        var submitted = SlurmCluster.Tasks(JobName).Select(t => t.JobId).Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.Contains(SlurmCluster.Tasks(JobName), t => t.State is "RUNNING" or "PENDING");

        var restarted = ScanflowProcess.Run(settings, "calibrate", Store, "--output", Output);

        Assert.True(restarted.ExitCode == 0, restarted.Output + restarted.Errors);
        Assert.Equal(submitted, SlurmCluster.Tasks(JobName).Select(t => t.JobId).Distinct().Order(StringComparer.Ordinal)); // no second sbatch
        Assert.Equal(submitted.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), Scalar("SELECT count(*) FROM slurm_submissions"));
        Assert.All(Rows().Values, r => Assert.Equal(("SUCCEEDED", 1), (r.Status, r.Attempts)));
    }

    [Fact]
    public async Task The_service_turns_a_burst_of_50_files_into_a_few_arrays_and_calibrates_each_once_12()
    {
        ScanflowProcess.Simulate(Store, "--scans", "50", "--pixels", "2", "--channels", "64", "--on-dumps", "20", "--off-dumps", "4");
        var drop = Path.Combine(_directory, "drop");
        Directory.CreateDirectory(drop);
        var settings = SlurmSettings();
        settings["SCANFLOW__Slurm__ShardGb"] = "0.0002";
        settings["SCANFLOW__MaxCalibrationAgeMinutes"] = "600";
        settings["SCANFLOW__RescanSeconds"] = "1";
        using var service = new ServiceProcess(settings, "--drop", drop, "--output", Output, "--settle-seconds", "0.5");
        await service.WaitForAsync("watching "); // logged once the ledger is open

        foreach (var file in Directory.GetFiles(Store, "*.h5"))
        {
            File.Copy(file, Path.Combine(drop, Path.GetFileName(file)));
        }

        WaitFor(() => Rows() is { Count: 50 } rows && rows.Values.All(r => r.Status == "SUCCEEDED") ? "done" : null, TimeSpan.FromMinutes(4));
        var (exitCode, _) = await service.TerminateAsync();

        Assert.Equal(0, exitCode);
        var arrays = SlurmCluster.Tasks(JobName).Select(t => t.JobId).Distinct().Count();
        Assert.InRange(arrays, 1, 3);
        Assert.All(Rows().Values, r => Assert.Equal(("SUCCEEDED", 1), (r.Status, r.Attempts)));
    }

    [Fact]
    public void A_stopped_run_cancels_its_jobs_after_the_grace_and_records_their_scans_cancelled_12()
    {
        ScanflowProcess.Simulate(Store, "--scans", "4", "--pixels", "2", "--channels", "64");
        var settings = SlurmSettings();
        settings["SCANFLOW_WORKER_START_DELAY_SECONDS"] = "120";
        settings["SCANFLOW__ShutdownGraceSeconds"] = "1";
        using var coordinator = Start(settings, "calibrate", Store, "--output", Output);
        WaitFor(() => SlurmCluster.Tasks(JobName).FirstOrDefault(t => t.State == "RUNNING"), TimeSpan.FromSeconds(90));

        coordinator.Interrupt();
        var result = coordinator.Finish();

        Assert.True(result.ExitCode == 1, result.Output + result.Errors); // nothing calibrated
        WaitFor(() => SlurmCluster.Tasks(JobName).All(t => t.State == "CANCELLED") ? "cancelled" : null, TimeSpan.FromSeconds(30));
        Assert.All(Rows().Values, r => Assert.Equal("CANCELLED", r.Status));
    }

    /// <summary>The array task of the first submission whose shard holds <paramref name="scanId"/>, from its plan file.</summary>
    private int ShardOf(long scanId)
    {
        var plan = Directory.GetFiles(Path.Combine(Output, ".scanflow-slurm"), "plan.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal).First();
        using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllText(plan));
        var shards = document.RootElement.GetProperty("shards").EnumerateArray().ToList();
        return shards.FindIndex(shard => shard.EnumerateArray().Any(scan => scan.GetProperty("scan_id").GetInt64() == scanId));
    }

    /// <summary>Settings of a small cluster: shards of about two scans, a short batch window, quick polls.</summary>
    private static Dictionary<string, string> SlurmSettings() => new()
    {
        ["SCANFLOW__Executor"] = "slurm",
        ["SCANFLOW__Slurm__ShardGb"] = "0.00005",
        ["SCANFLOW__Slurm__BatchSeconds"] = "3",
        ["SCANFLOW__Slurm__PollSeconds"] = "0.5",
        ["SCANFLOW__Slurm__MaxPollSeconds"] = "2",
        ["SCANFLOW__Slurm__MemoryMb"] = "1024",
        ["SCANFLOW__Slurm__TimeLimitMinutes"] = "10",
        ["SCANFLOW__RetryDelaySeconds"] = "0",
    };

    private const string CompareTaStar = """
        import glob, h5py, os, sys
        import numpy as np
        local, slurm = sys.argv[1:3]
        names = sorted(os.path.basename(p) for p in glob.glob(os.path.join(local, '*.l1.h5')))
        assert names == sorted(os.path.basename(p) for p in glob.glob(os.path.join(slurm, '*.l1.h5'))), 'different products'
        for name in names:
            with h5py.File(os.path.join(local, name), 'r') as a, h5py.File(os.path.join(slurm, name), 'r') as b:
                x, y = a['ta_star'][...], b['ta_star'][...]
                assert x.dtype == y.dtype and x.shape == y.shape and x.tobytes() == y.tobytes(), f'{name}: ta_star differs'
        print('identical')
        """;

    private Dictionary<long, (string Status, string? Kind, int Attempts)> Rows()
    {
        using var connection = new SqliteConnection($"Data Source={Ledger};Mode=ReadOnly");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT scan_id, status, failure_kind, (SELECT count(*) FROM attempts a WHERE a.row_id = s.row_id) FROM scans s;";
        using var reader = command.ExecuteReader();
        var rows = new Dictionary<long, (string, string?, int)>();
        while (reader.Read())
        {
            rows[reader.GetInt64(0)] = (reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetInt32(3));
        }

        return rows;
    }

    private List<string> AttemptErrors()
    {
        using var connection = new SqliteConnection($"Data Source={Ledger};Mode=ReadOnly");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT error FROM attempts WHERE error IS NOT NULL;";
        using var reader = command.ExecuteReader();
        var errors = new List<string>();
        while (reader.Read())
        {
            errors.Add(reader.GetString(0));
        }

        return errors;
    }

    private string Scalar(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Ledger};Mode=ReadOnly");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture)!;
    }

    /// <summary>Polls <paramref name="probe"/> until it finds something; fails after <paramref name="limit"/>.</summary>
    private static T WaitFor<T>(Func<T?> probe, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            if (probe() is { } found && !EqualityComparer<T>.Default.Equals(found, default))
            {
                return found;
            }

            Thread.Sleep(200);
        }

        Assert.Fail($"nothing found within {limit.TotalSeconds} s");
        return default!;
    }

    private static BackgroundScanflow Start(IReadOnlyDictionary<string, string> environment, params string[] args) => new(environment, args);

    private static string Python(string script, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo("/usr/bin/python3", ["-c", script, .. arguments]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, errors);
        return output.GetAwaiter().GetResult();
    }
}

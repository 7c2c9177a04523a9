using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Scanflow.Host.Tests;

/// <summary>Issue 10, item 5: every user error of <c>scanflow calibrate</c> and <c>scanflow run</c> ends in one sentence
/// on stderr that names the file or option and the fix, exit code 1, no stack trace and no exception type name (those
/// only with <c>--verbose</c>); nothing is created by a command that refuses to start.</summary>
public sealed partial class UserErrorTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "scanflow-host-tests", Guid.NewGuid().ToString("N"));

    public UserErrorTests() => Directory.CreateDirectory(_directory);

    private string Store => Path.Combine(_directory, "store");

    private string Drop => Path.Combine(_directory, "drop");

    private string Output => Path.Combine(_directory, "l1");

    private string Ledger => Path.Combine(Output, "scanflow-ledger.sqlite");

    /// <summary>A regular file, to put paths under: creating anything beneath it fails, for root too.</summary>
    private string PlainFile
    {
        get
        {
            var path = Path.Combine(_directory, "plain-file");
            File.WriteAllText(path, "not a directory");
            return path;
        }
    }

    [Fact]
    public void Calibrate_of_an_input_that_does_not_exist_is_one_sentence_10()
    {
        var missing = Path.Combine(_directory, "nonexist");

        var result = ScanflowProcess.Run("calibrate", missing, "--output", Output);

        AssertOneSentence(result, "calibrate", $"input '{missing}' does not exist", "a scan file or a directory of scans");
        Assert.False(Directory.Exists(Output));
    }

    [Fact]
    public void Verbose_adds_the_stack_trace_that_is_otherwise_left_out_10()
    {
        var missing = Path.Combine(_directory, "nonexist");

        var result = ScanflowProcess.Run("calibrate", missing, "--output", Output, "--verbose");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"scanflow calibrate: input '{missing}' does not exist", result.Errors, StringComparison.Ordinal);
        Assert.Matches(StackTraceLine(), result.Errors);
        Assert.Contains("System.ArgumentException", result.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public void An_output_directory_under_a_file_is_one_sentence_from_calibrate_and_run_10()
    {
        Simulate();
        var file = PlainFile;
        var output = Path.Combine(file, "l1");

        var calibrate = ScanflowProcess.Run("calibrate", Store, "--output", output);
        var run = ScanflowProcess.Run("run", "--drop", Drop, "--output", output);

        foreach (var (result, command) in new[] { (calibrate, "calibrate"), (run, "run") })
        {
            AssertOneSentence(result, command, $"Scanflow:Output = '{output}' is not writable", $"{file} is a file, not a directory", "set --output to a directory");
        }
    }

    [Fact]
    public void An_output_directory_on_a_read_only_file_system_is_one_sentence_from_calibrate_and_run_10()
    {
        Simulate();
        using var mount = new Tmpfs(1, readOnly: true);
        var readOnly = mount.MountPoint;
        var output = Path.Combine(readOnly, "l1");

        var calibrate = ScanflowProcess.Run("calibrate", Store, "--output", output);
        var run = ScanflowProcess.Run("run", "--drop", Drop, "--output", output);
        var existing = ScanflowProcess.Run("calibrate", Store, "--output", readOnly);

        foreach (var (result, command) in new[] { (calibrate, "calibrate"), (run, "run") })
        {
            AssertOneSentence(result, command, $"Scanflow:Output = '{output}' is not writable", $"no file can be created in {readOnly}", "set --output to a directory");
        }

        AssertOneSentence(existing, "calibrate", $"Scanflow:Output = '{readOnly}' is not writable", $"no file can be created in {readOnly}", "set --output");
    }

    [Fact]
    public void A_ledger_in_a_place_that_cannot_be_written_is_one_sentence_and_creates_no_output_10()
    {
        Simulate();
        var underFile = Path.Combine(PlainFile, "ledger.sqlite");
        using var mount = new Tmpfs(1, readOnly: true);
        var onReadOnly = Path.Combine(mount.MountPoint, "ledger.sqlite");

        foreach (var ledger in new[] { underFile, onReadOnly })
        {
            var calibrate = ScanflowProcess.Run("calibrate", Store, "--output", Output, "--ledger", ledger);
            var run = ScanflowProcess.Run("run", "--drop", Drop, "--output", Output, "--ledger", ledger);

            AssertOneSentence(calibrate, "calibrate", $"Scanflow:Ledger = '{ledger}' cannot be written", "set --ledger to a file in a directory");
            AssertOneSentence(run, "run", $"Scanflow:Ledger = '{ledger}' cannot be written", "set --ledger to a file in a directory");
            Assert.False(Directory.Exists(Output), "a command that refused to start created --output");
        }
    }

    [Fact]
    public void Calibrate_stops_at_a_damaged_ledger_with_advice_that_works_10()
    {
        Simulate();
        Assert.Equal(0, ScanflowProcess.Run("calibrate", Store, "--output", Output).ExitCode);
        DamageLedger(Ledger);

        var damaged = ScanflowProcess.Run("calibrate", Store, "--output", Output);
        var notSqlite = Path.Combine(_directory, "not-a-ledger.sqlite");
        File.WriteAllText(notSqlite, "these bytes were never a SQLite database, and no ledger either; " + new string('x', 8192));
        var garbage = ScanflowProcess.Run("calibrate", Store, "--output", Output, "--ledger", notSqlite);

        AssertOneSentence(damaged, "calibrate", $"the ledger {Ledger} is damaged", "restore it from a backup", "move it and its -wal and -shm files aside");
        AssertOneSentence(garbage, "calibrate", $"the ledger {notSqlite} is damaged", "restore it from a backup", "move it and its -wal and -shm files aside");

        // The advice holds: with the damaged ledger moved aside, a new one adopts the products in place.
        File.Move(Ledger, Ledger + ".damaged");
        var again = ScanflowProcess.Run("calibrate", Store, "--output", Output);
        Assert.True(again.ExitCode == 0, again.Output + again.Errors);
        Assert.Contains("│ skipped      │ 2 ", again.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_stops_at_a_damaged_ledger_with_one_critical_sentence_and_advice_10()
    {
        Simulate();
        Directory.CreateDirectory(Drop);
        Assert.Equal(0, ScanflowProcess.Run("calibrate", Store, "--output", Output).ExitCode);
        DamageLedger(Ledger);

        var run = ScanflowProcess.Run("run", "--drop", Drop, "--output", Output, "--metrics-url", "http://127.0.0.1:0/metrics");

        Assert.Equal(1, run.ExitCode);
        var log = run.Output + run.Errors;
        var critical = Assert.Single(log.Split('\n'), l => l.Contains("crit", StringComparison.Ordinal));
        Assert.Contains($"the ledger {Ledger} is damaged", critical, StringComparison.Ordinal);
        Assert.Contains("restore it from a backup, or move it and its -wal and -shm files aside", critical, StringComparison.Ordinal);
        AssertNoStackTrace(log);
    }

    [Theory]
    [InlineData("calibrate", "--grace", "-1", "Scanflow:ShutdownGraceSeconds = -1 is out of range; --grace must be between 0 and 3600 seconds")]
    [InlineData("run", "--grace", "-1", "Scanflow:ShutdownGraceSeconds = -1 is out of range; --grace must be between 0 and 3600 seconds")]
    [InlineData("calibrate", "--select", "band=XYZ", "selection term 'band=XYZ' is not understood; expected band=LFA|HFA, source=NAME")]
    [InlineData("run", "--metrics-url", "http://127.0.0.1:99999/metrics", "Scanflow:MetricsUrl = 'http://127.0.0.1:99999/metrics' has port 99999, above 65535; set --metrics-url to a port from 1 to 65535, or 0 for any free port")]
    public void A_bad_option_is_one_sentence_naming_it_and_creates_nothing_10(string command, string flag, string value, string sentence)
    {
        Simulate();
        string[] where = command == "run" ? ["--drop", Drop, "--output", Output] : [Store, "--output", Output];

        var result = ScanflowProcess.Run([command, .. where, flag, value]);

        AssertOneSentence(result, command, sentence);
        Assert.DoesNotContain("(Parameter", result.Errors, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Output), "a command that refused to start created --output");
    }

    [Fact]
    public void Run_without_drop_is_one_sentence_naming_the_option_and_creates_no_output_10()
    {
        var result = ScanflowProcess.Run("run", "--output", Output);

        AssertOneSentence(result, "run", "Scanflow:Drop is not set; give the drop directory with --drop DIR");
        Assert.DoesNotContain("DataAnnotation", result.Errors, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Output));
    }

    [Fact]
    public void Run_that_cannot_listen_creates_no_output_10()
    {
        Directory.CreateDirectory(Drop);
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var url = $"http://127.0.0.1:{((IPEndPoint)taken.LocalEndpoint).Port}/metrics";

        var result = ScanflowProcess.Run("run", "--drop", Drop, "--output", Output, "--metrics-url", url);

        AssertOneSentence(result, "run", $"cannot listen at {url}", "--metrics-url");
        Assert.False(Directory.Exists(Output), "run created --output although it could not start");
    }

    [Fact]
    public void Float16_counts_written_by_h5py_are_named_as_float16_in_one_sentence_10()
    {
        Simulate(scans: 1);
        var science = Directory.GetFiles(Store, "*_tp.h5").Single();
        StoreDamage.Apply(_directory, Store, """
            import glob, sys, h5py, numpy as np
            path = glob.glob(sys.argv[1] + '/*_tp.h5')[0]
            with h5py.File(path, 'r+') as f:
                counts = f['/on/counts'][...]
                attributes = dict(f['/on/counts'].attrs)
                del f['/on/counts']
                half = f['/on'].create_dataset('counts', data=(counts / counts.max()).astype(np.float16))
                for key, value in attributes.items():
                    half.attrs[key] = value
            """);

        var result = ScanflowProcess.Run("calibrate", Store, "--output", Output);

        AssertOneSentence(result, "calibrate", "no scan was calibrated", $"{science}: /on/counts: has element type float16; expected float32 or float64: write it as float32");
        Assert.DoesNotContain("Other", result.Errors, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    /// <summary>Exit 1, one line on stderr, <c>scanflow COMMAND: </c> and then every one of <paramref name="mentions"/>, and
    /// nowhere a stack trace or an exception type name.</summary>
    private static void AssertOneSentence(ScanflowProcess.Result result, string command, params string[] mentions)
    {
        Assert.True(result.ExitCode == 1, $"exit {result.ExitCode}\n{result.Output}\n{result.Errors}");
        var line = Assert.Single(result.Errors.TrimEnd().Split('\n'));
        Assert.StartsWith($"scanflow {command}: ", line, StringComparison.Ordinal);
        foreach (var mention in mentions)
        {
            Assert.Contains(mention, line, StringComparison.Ordinal);
        }

        AssertNoStackTrace(result.Output + result.Errors);
    }

    private static void AssertNoStackTrace(string text)
    {
        Assert.DoesNotMatch(StackTraceLine(), text);
        Assert.DoesNotMatch(ExceptionTypeName(), text);
    }

    /// <summary>A frame of a .NET stack trace, on a line of its own or inline (the service's single-line log).</summary>
    [GeneratedRegex(@"(^|\s)at [\w.`<>]+(\.[\w`<>]+)*\(.*\)", RegexOptions.Multiline)]
    private static partial Regex StackTraceLine();

    [GeneratedRegex(@"\b[A-Z]\w*Exception\b")]
    private static partial Regex ExceptionTypeName();

    /// <summary>Overwrites the ledger's first page after its 100-byte header (the schema's b-tree): SQLite then calls it malformed.</summary>
    private static void DamageLedger(string ledger)
    {
        using var file = new FileStream(ledger, FileMode.Open, FileAccess.Write);
        file.Position = 100;
        file.Write(Enumerable.Repeat((byte)0xA5, 3996).ToArray());
    }

    private void Simulate(int scans = 2)
    {
        Directory.CreateDirectory(Drop);
        ScanflowProcess.Simulate(Store, "--scans", scans.ToString(System.Globalization.CultureInfo.InvariantCulture), "--pixels", "2", "--channels", "64", "--on-dumps", "10");
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Scanflow.Engine.Model;
using Scanflow.Engine.Tests;

namespace Scanflow.Host.Tests;

/// <summary>deploy/systemd/scanflow.service as systemd itself reads it: verified, rated by <c>systemd-analyze
/// security</c>, and its system call filter and socket families held against what the real service calls in a night.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed partial class SystemdUnitTests : IDisposable
{
    /// <summary>The highest overall exposure the unit may be rated (it was 7.0 MEDIUM before it was hardened).</summary>
    private const double MaxExposure = 2.5;

    /// <summary>The unprivileged user the traced service runs as when the tests run as root (the unit's User= is not root).</summary>
    private const string Nobody = "65534";

    private static readonly string UnitPath = Repository.PathOf("deploy", "systemd", "scanflow.service");

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "scanflow-host-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task The_unit_passes_systemd_analyze_verify_without_a_warning()
    {
        Directory.CreateDirectory(_directory);
        var unit = Path.Combine(_directory, "scanflow.service");
        // The unit's ExecStart names the installed apphost; verify checks it exists, so point it at the one built here.
        var text = await File.ReadAllTextAsync(UnitPath);
        Assert.Contains("ExecStart=/opt/scanflow/scanflow run", text, StringComparison.Ordinal);
        await File.WriteAllTextAsync(unit, text.Replace("ExecStart=/opt/scanflow/scanflow", "ExecStart=" + Path.Combine(AppContext.BaseDirectory, "scanflow"), StringComparison.Ordinal));

        var (exitCode, output) = await RunAsync("systemd-analyze", "verify", unit);

        Assert.Equal(0, exitCode);
        Assert.Equal("", output.Trim());
    }

    [Fact]
    public async Task The_unit_is_rated_an_exposure_of_at_most_2_5_by_systemd_analyze_security()
    {
        var (exposure, _, output) = await SecurityAsync();

        Assert.True(exposure <= MaxExposure, $"systemd-analyze security rates the unit {exposure.ToString(CultureInfo.InvariantCulture)}, above {MaxExposure.ToString(CultureInfo.InvariantCulture)}:\n{output}");
    }

    [Fact]
    public async Task Every_exposure_left_in_the_unit_is_explained_by_a_comment_in_it()
    {
        var (_, open, output) = await SecurityAsync();
        var text = await File.ReadAllTextAsync(UnitPath);

        // "# ✗ NAME: why" beside the settings, NAME as systemd-analyze prints it.
        var unexplained = open.Where(name => !text.Contains($"# ✗ {name}: ", StringComparison.Ordinal)).ToList();
        Assert.True(unexplained.Count == 0, $"no '# ✗ NAME: reason' comment in the unit for: {string.Join(", ", unexplained)}\n{output}");
    }

    [Fact]
    public async Task A_night_in_the_service_makes_only_system_calls_and_sockets_the_unit_allows()
    {
        Assert.True(File.Exists("/usr/bin/strace"), "strace is missing; run ./test.sh, which installs the Debian package 'strace'");
        var unit = await File.ReadAllLinesAsync(UnitPath);
        var allowed = await AllowedSystemCallsAsync(unit);
        var families = Values(unit, "RestrictAddressFamilies").SelectMany(v => v.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToHashSet(StringComparer.Ordinal);
        Assert.Contains("execve", allowed);

        // The service runs as an unprivileged user, as under the unit: as root SQLite would chown its journal files.
        // That user reads the application from a copy here, since the build folder may sit under root's home.
        var app = CopyApplication();
        var source = Path.Combine(_directory, "source");
        ScanflowProcess.Simulate(source, "--scans", "2", "--pixels", "2", "--channels", "64", "--on-dumps", "5", "--off-dumps", "2", "--no-noise");
        var drop = WritableDirectory("drop");
        var output = WritableDirectory("l1");
        var trace = Path.Combine(WritableDirectory("trace"), "strace.txt");

        using var service = new TracedService(trace, Path.Combine(app, "scanflow"), "run", "--drop", drop, "--output", output, "--settle-seconds", "0.5", "--metrics-url", "http://127.0.0.1:0/metrics");
        await service.WaitForAsync("watching");
        foreach (var file in Directory.GetFiles(source, "*.h5"))
        {
            File.Copy(file, Path.Combine(drop, Path.GetFileName(file)));
        }

        await service.WaitForAsync("calibrated →", count: 2);
        // Scans 2 and 3 are the science scans; their plots are drawn after the product is recorded.
        var products = ScanProductFiles.Of(2, Band.Lfa).Concat(ScanProductFiles.Of(3, Band.Lfa)).Select(name => Path.Combine(output, name)).ToList();
        await service.WaitUntilAsync(() => products.All(File.Exists), "every product and plot of scans 2 and 3");
        using (var http = new HttpClient())
        {
            var metrics = new Uri(MetricsAt().Match(service.Log).Groups[1].Value);
            foreach (var path in (string[])[metrics.AbsolutePath, "/healthz", "/readyz"])
            {
                using var response = await http.GetAsync(new Uri(metrics, path));
                Assert.True(response.IsSuccessStatusCode, $"GET {path}: {response.StatusCode}");
            }
        }

        Assert.Equal(0, await service.TerminateAsync());

        var calls = new HashSet<string>(StringComparer.Ordinal);
        var sockets = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(trace))
        {
            if (SystemCall().Match(line) is { Success: true } call)
            {
                calls.Add(call.Groups[1].Value);
            }

            if (SocketFamily().Match(line) is { Success: true } family)
            {
                sockets.Add(family.Groups[1].Value);
            }
        }

        // The trace saw the service watch the drop directory and serve the scrapes.
        Assert.Contains("inotify_add_watch", calls);
        Assert.Contains("bind", calls);
        var denied = calls.Where(c => !allowed.Contains(c)).Order(StringComparer.Ordinal).ToList();
        Assert.True(denied.Count == 0, $"the service called what the unit's SystemCallFilter= denies: {string.Join(", ", denied)}");
        var refused = sockets.Where(f => !families.Contains(f)).Order(StringComparer.Ordinal).ToList();
        Assert.True(refused.Count == 0, $"the service opened sockets the unit's RestrictAddressFamilies= refuses: {string.Join(", ", refused)}");
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    /// <summary>The overall exposure and the names of the ✗ lines, as <c>systemd-analyze security --offline=true</c>
    /// prints them for the unit file as it is in the repository.</summary>
    private static async Task<(double Exposure, List<string> Open, string Output)> SecurityAsync()
    {
        var (exitCode, output) = await RunAsync("systemd-analyze", "security", "--offline=true", "--no-pager", UnitPath);
        Assert.True(exitCode == 0, output);
        var overall = OverallExposure().Match(output);
        Assert.True(overall.Success, output);
        var open = output.Split('\n').Select(l => OpenSetting().Match(l)).Where(m => m.Success).Select(m => m.Groups[1].Value).ToList();
        return (double.Parse(overall.Groups[1].Value, CultureInfo.InvariantCulture), open, output);
    }

    /// <summary>The system calls the unit's SystemCallFilter= lines allow, in order: the first is an allow list, a later
    /// "~" line takes its calls away again; groups expanded as <c>systemd-analyze syscall-filter</c> lists them.</summary>
    private static async Task<HashSet<string>> AllowedSystemCallsAsync(string[] unit)
    {
        var (exitCode, listing) = await RunAsync("systemd-analyze", "syscall-filter", "--no-pager");
        Assert.True(exitCode == 0, listing);
        var groups = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        List<string>? members = null;
        foreach (var line in listing.Split('\n'))
        {
            if (line.StartsWith('@'))
            {
                groups[line.Trim()] = members = [];
            }
            else if (members is not null && line.Trim() is { Length: > 0 } item && !item.StartsWith('#'))
            {
                members.Add(item);
            }
        }

        IEnumerable<string> Expand(string item) => item.StartsWith('@') ? groups[item].SelectMany(Expand) : [item];

        var filters = Values(unit, "SystemCallFilter").ToList();
        Assert.True(filters.Count > 0 && !filters[0].StartsWith('~'), "the unit's first SystemCallFilter= is expected to be an allow list");
        var allowed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var filter in filters)
        {
            var calls = filter.TrimStart('~').Split(' ', StringSplitOptions.RemoveEmptyEntries).SelectMany(Expand);
            if (filter.StartsWith('~'))
            {
                allowed.ExceptWith(calls);
            }
            else
            {
                allowed.UnionWith(calls);
            }
        }

        return allowed;
    }

    private static IEnumerable<string> Values(string[] unit, string key) =>
        unit.Where(l => l.StartsWith(key + "=", StringComparison.Ordinal)).Select(l => l[(key.Length + 1)..].Trim()).Where(v => v.Length > 0);

    private static async Task<(int ExitCode, string Output)> RunAsync(string command, params string[] args)
    {
        var start = new ProcessStartInfo(command, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["SYSTEMD_COLORS"] = "0";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>The service's files (top level, and the native libraries for this machine) in a folder anyone can read.</summary>
    private string CopyApplication()
    {
        var app = Directory.CreateDirectory(Path.Combine(_directory, "app")).FullName;
        SetOpen(_directory);
        SetOpen(app);
        foreach (var file in Directory.GetFiles(AppContext.BaseDirectory))
        {
            File.Copy(file, Path.Combine(app, Path.GetFileName(file)));
        }

        var native = Path.Combine("runtimes", "linux-" + RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant(), "native");
        var target = Directory.CreateDirectory(Path.Combine(app, native)).FullName;
        for (var folder = target; folder.Length > app.Length; folder = Path.GetDirectoryName(folder)!)
        {
            SetOpen(folder);
        }

        foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, native)))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }

        return app;
    }

    private string WritableDirectory(string name)
    {
        var path = Directory.CreateDirectory(Path.Combine(_directory, name)).FullName;
        File.SetUnixFileMode(path, (UnixFileMode)0b111_111_111);
        return path;
    }

    private static void SetOpen(string folder) => File.SetUnixFileMode(folder, (UnixFileMode)0b111_101_101);

    [GeneratedRegex(@"Overall exposure level for \S+: (\d+(?:\.\d+)?)")]
    private static partial Regex OverallExposure();

    [GeneratedRegex(@"^✗ (\S+)\s")]
    private static partial Regex OpenSetting();

    [GeneratedRegex(@"metrics at (\S+)")]
    private static partial Regex MetricsAt();

    // strace -f: "PID name(args) = result" or "PID <... name resumed> ..."; signals and exits start with --- and +++.
    [GeneratedRegex(@"^\d+\s+(?:<\.\.\. )?([a-z_][a-z0-9_]*)(?:\(| resumed>)")]
    private static partial Regex SystemCall();

    [GeneratedRegex(@"\bsocket\((AF_[A-Z0-9]+)")]
    private static partial Regex SocketFamily();

    /// <summary><c>scanflow run</c> under <c>strace -f</c>, as an unprivileged user when the tests run as root, with
    /// the environment the unit gives it (DOTNET_ROOT, no home).</summary>
    private sealed class TracedService : IDisposable
    {
        private readonly Process _strace;
        private readonly ConcurrentQueue<string> _lines = new();

        public TracedService(string trace, string executable, params string[] args)
        {
            string[] user = Environment.IsPrivilegedProcess ? ["setpriv", "--reuid=" + Nobody, "--regid=" + Nobody, "--clear-groups"] : [];
            string[] command = [.. user, "strace", "-f", "-qq", "-s", "32", "-o", trace, executable, .. args];
            var start = new ProcessStartInfo(command[0], command[1..]) { RedirectStandardOutput = true, RedirectStandardError = true };
            // The runtime this test runs on: .../shared/Microsoft.NETCore.App/VERSION/ under the dotnet root.
            start.Environment["DOTNET_ROOT"] = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
            start.Environment["HOME"] = "/nonexistent";
            start.Environment["SCANFLOW__MaxCalibrationAgeMinutes"] = "600";
            start.Environment["SCANFLOW__RescanSeconds"] = "1";
            start.Environment["SCANFLOW__ShutdownGraceSeconds"] = "20";
            _strace = Process.Start(start)!;
            _strace.OutputDataReceived += (_, e) => Add(e.Data);
            _strace.ErrorDataReceived += (_, e) => Add(e.Data);
            _strace.BeginOutputReadLine();
            _strace.BeginErrorReadLine();
        }

        public string Log => string.Join('\n', _lines);

        public Task WaitForAsync(string marker, int count = 1) =>
            WaitUntilAsync(() => _lines.Count(l => l.Contains(marker, StringComparison.Ordinal)) >= count, $"{count} × '{marker}'");

        public async Task WaitUntilAsync(Func<bool> condition, string what)
        {
            var watch = Stopwatch.StartNew();
            while (!condition())
            {
                if (_strace.HasExited || watch.Elapsed > TimeSpan.FromMinutes(3))
                {
                    Assert.Fail($"waited for {what}; {(_strace.HasExited ? "the service exited" : "timed out")}. Log:\n{Log}");
                }

                await Task.Delay(50);
            }
        }

        /// <summary>SIGTERM to the service itself (strace's child), as systemd stops it; strace ends with its exit code.</summary>
        public async Task<int> TerminateAsync()
        {
            var service = File.ReadAllText($"/proc/{_strace.Id}/task/{_strace.Id}/children").Trim();
            using (var kill = Process.Start("kill", ["-TERM", service]))
            {
                await kill.WaitForExitAsync();
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            await _strace.WaitForExitAsync(timeout.Token);
            _strace.WaitForExit();
            return _strace.ExitCode;
        }

        public void Dispose()
        {
            if (!_strace.HasExited)
            {
                _strace.Kill(entireProcessTree: true);
            }

            _strace.Dispose();
        }

        private void Add(string? line)
        {
            if (line is not null)
            {
                _lines.Enqueue(line);
            }
        }
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Scanflow.Engine.Ledger;

namespace Scanflow.Host.Tests;

/// <summary><c>scanflow run --gain-interpolation linear</c> against the real process (calibration.md §7.10): a science scan
/// paired with a calibration before it WAITS for the later one, C₂, across a SIGKILL and restart, and is calibrated once
/// with both; without C₂ it goes ahead with C₁ alone at the deadline (max calibration age after its last ON dump), or
/// when <c>scanflow retry --scan</c> forces it, and the product's <c>gain_interpolation_note</c> says so.</summary>
public sealed class GainInterpolationServiceTests : IDisposable
{
    private const double UnixEpochMjd = 40587.0;

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "scanflow-host-tests", Guid.NewGuid().ToString("N"));

    private string Source => Path.Combine(_directory, "source");

    private string Later => Path.Combine(_directory, "later");

    private string Drop => Path.Combine(_directory, "drop");

    private string Output => Path.Combine(_directory, "l1");

    private static Dictionary<string, string> Fast => new()
    {
        ["SCANFLOW__RescanSeconds"] = "1",
        ["SCANFLOW__ShutdownGraceSeconds"] = "20",
    };

    [Fact]
    public async Task Science_scans_wait_for_the_later_calibration_across_a_SIGKILL_and_are_calibrated_once_with_both()
    {
        var now = MjdOf(DateTimeOffset.UtcNow);
        Simulate(Source, scans: 2, firstScanId: 1, startMjd: now);
        Simulate(Later, scans: 0, firstScanId: 4, startMjd: now + (10 / 1440.0)); // C₂: well after the science scans, within 30 min
        Directory.CreateDirectory(Drop);
        string[] args = ["--drop", Drop, "--output", Output, "--settle-seconds", "0.5", "--gain-interpolation", "linear", "--max-calibration-age-minutes", "30"];

        using (var first = new ServiceProcess(Fast, args))
        {
            var url = await first.MetricsUrlAsync();
            await first.WaitForAsync("watching");
            CopyAll(Source);
            await first.WaitForAsync("WAITING (waiting for a later calibration scan for gain interpolation (until ", count: 2);
            await AssertWaitingAsync(url, first);
            first.Kill(); // SIGKILL
            await first.ExitAsync();
        }

        using var second = new ServiceProcess(Fast, args);
        var restartedUrl = await second.MetricsUrlAsync();
        await second.WaitForAsync("WAITING (waiting for a later calibration scan", count: 2);
        await AssertWaitingAsync(restartedUrl, second);
        Assert.Equal(0, second.Count("calibrated →"));

        CopyAll(Later);
        await second.WaitForAsync("calibrated →", count: 2);
        Assert.Equal(0, (await second.TerminateAsync()).ExitCode);

        AssertSucceededOnce(2);
        foreach (var product in Directory.GetFiles(Output, "*.l1.h5"))
        {
            var attributes = ReadAttributes(product);
            Assert.Equal([1L, 4L], attributes.GetProperty("calibration_scan_ids").EnumerateArray().Select(e => e.GetInt64()));
            Assert.Equal("linear", attributes.GetProperty("gain_interpolation").GetString());
            Assert.False(attributes.TryGetProperty("gain_interpolation_note", out _), product);
        }
    }

    [Fact]
    public async Task Without_a_later_calibration_a_science_scan_goes_ahead_with_its_calibration_alone_at_the_deadline()
    {
        // The science scan's last ON dump is about half a minute ago; with a 1 min maximum age its deadline is ~30 s away.
        Simulate(Source, scans: 1, firstScanId: 1, startMjd: MjdOf(DateTimeOffset.UtcNow - TimeSpan.FromSeconds(90)));
        var science = Directory.GetFiles(Source, "*_tp.h5").Single();
        var deadline = UtcOf(LastOnMjd(science)) + TimeSpan.FromMinutes(1);
        Directory.CreateDirectory(Drop);

        using var service = new ServiceProcess(
            Fast, "--drop", Drop, "--output", Output, "--settle-seconds", "0.5", "--gain-interpolation", "linear", "--max-calibration-age-minutes", "1");
        await service.WaitForAsync("watching");
        Assert.True(DateTimeOffset.UtcNow < deadline - TimeSpan.FromSeconds(5), $"the deadline {deadline:O} is too close to test");
        CopyAll(Source);
        await service.WaitForAsync("WAITING (waiting for a later calibration scan");
        await WaitUntilAsync(() => CountStatus(ScanStatus.Waiting) == 1, service);
        await service.WaitForAsync("calibrated →", timeoutSeconds: 120);
        Assert.True(DateTimeOffset.UtcNow >= deadline, $"calibrated before the deadline {deadline:O}");
        Assert.Equal(0, (await service.TerminateAsync()).ExitCode);

        Assert.Contains("going ahead with one calibration", service.Log, StringComparison.Ordinal);
        AssertSucceededOnce(1);
        var attributes = ReadAttributes(Directory.GetFiles(Output, "*.l1.h5").Single());
        Assert.Equal([1L], attributes.GetProperty("calibration_scan_ids").EnumerateArray().Select(e => e.GetInt64()));
        Assert.Equal(
            "no calibration scan for LFA LO 475.000 GHz USB starts within 1 min after the last ON dump of scan 2; calibrated with scan 1 alone",
            attributes.GetProperty("gain_interpolation_note").GetString());
    }

    [Fact]
    public async Task Scanflow_retry_forces_a_scan_waiting_for_the_later_calibration_through_with_its_calibration_alone()
    {
        Simulate(Source, scans: 1, firstScanId: 1, startMjd: MjdOf(DateTimeOffset.UtcNow));
        Directory.CreateDirectory(Drop);
        string[] args = ["--drop", Drop, "--output", Output, "--settle-seconds", "0.5", "--gain-interpolation", "linear", "--max-calibration-age-minutes", "30"];
        using var service = new ServiceProcess(Fast, args);
        await service.WaitForAsync("watching");
        CopyAll(Source);
        await service.WaitForAsync("WAITING (waiting for a later calibration scan");
        await WaitUntilAsync(() => CountStatus(ScanStatus.Waiting) == 1, service);

        var retry = ScanflowProcess.Run("retry", "--output", Output, "--scan", "2");
        Assert.True(retry.ExitCode == 0, retry.Errors);
        await service.WaitForAsync("calibrated →");
        Assert.Equal(0, (await service.TerminateAsync()).ExitCode);

        // A restart before the deadline does not wait for C₂ again for a scan already calibrated.
        using (var restarted = new ServiceProcess(Fast, args))
        {
            var url = await restarted.MetricsUrlAsync();
            await restarted.WaitForAsync("watching");
            await Task.Delay(TimeSpan.FromSeconds(3)); // settle (0.5 s) and a few ingestion ticks
            var line = (await Http.GetStringAsync(url)).Split('\n').Single(l => l.StartsWith("scanflow_waiting_scans ", StringComparison.Ordinal));
            Assert.EndsWith(" 0", line, StringComparison.Ordinal);
            Assert.Equal(0, restarted.Count("WAITING"));
            Assert.Equal(0, (await restarted.TerminateAsync()).ExitCode);
        }

        AssertSucceededOnce(1);
        var attributes = ReadAttributes(Directory.GetFiles(Output, "*.l1.h5").Single());
        Assert.Equal([1L], attributes.GetProperty("calibration_scan_ids").EnumerateArray().Select(e => e.GetInt64()));
        Assert.Equal(
            "forced through by scanflow retry before a later calibration scan arrived; calibrated with scan 1 alone",
            attributes.GetProperty("gain_interpolation_note").GetString());
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static double MjdOf(DateTimeOffset time) => UnixEpochMjd + (time.ToUnixTimeMilliseconds() / 86_400_000.0);

    private static DateTimeOffset UtcOf(double mjd) => DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round((mjd - UnixEpochMjd) * 86_400_000.0));

    /// <summary>Two science scans WAITING: in the ledger, on /metrics (gauges follow within an ingestion tick), nothing calibrated.</summary>
    private async Task AssertWaitingAsync(Uri url, ServiceProcess service)
    {
        await WaitUntilAsync(() => CountStatus(ScanStatus.Waiting) == 2, service);
        var waiting = -1.0;
        for (var i = 0; i < 50 && waiting != 2; i++)
        {
            var line = (await Http.GetStringAsync(url)).Split('\n').Single(l => l.StartsWith("scanflow_waiting_scans ", StringComparison.Ordinal));
            waiting = double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
            await Task.Delay(i == 0 ? 0 : 200);
        }

        Assert.Equal(2, waiting);
        Assert.Equal(0, CountStatus(ScanStatus.Succeeded));
    }

    private void CopyAll(string from)
    {
        foreach (var file in Directory.GetFiles(from, "*.h5"))
        {
            File.Copy(file, Path.Combine(Drop, Path.GetFileName(file)));
        }
    }

    private static void Simulate(string output, int scans, long firstScanId, double startMjd)
    {
        var result = ScanflowProcess.Run(
            "simulate", "--output", output, "--scans", scans.ToString(CultureInfo.InvariantCulture), "--pixels", "2", "--channels", "64",
            "--on-dumps", "20", "--off-dumps", "11", "--no-noise", "--first-scan-id", firstScanId.ToString(CultureInfo.InvariantCulture),
            "--start-mjd", startMjd.ToString("R", CultureInfo.InvariantCulture));
        Assert.True(result.ExitCode == 0, result.Errors);
    }

    private static async Task WaitUntilAsync(Func<bool> condition, ServiceProcess service, double timeoutSeconds = 60)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.Elapsed.TotalSeconds > timeoutSeconds)
            {
                Assert.Fail($"condition not met within {timeoutSeconds} s. Log:\n{service.Log}");
            }

            await Task.Delay(100);
        }
    }

    private int CountStatus(ScanStatus status)
    {
        var ledger = Path.Combine(Output, LedgerWriter.DefaultFileName);
        if (!File.Exists(ledger))
        {
            return 0;
        }

        using var reader = LedgerReader.Open(ledger);
        return reader.Scans(status).Count;
    }

    private void AssertSucceededOnce(int scans)
    {
        using var reader = LedgerReader.Open(Path.Combine(Output, LedgerWriter.DefaultFileName));
        var rows = reader.Scans();
        Assert.Equal(scans, rows.Count);
        Assert.All(rows, r => Assert.Equal(ScanStatus.Succeeded, r.Status));
        Assert.All(reader.Attempts().GroupBy(a => a.RowId), g => Assert.Single(g));
        Assert.Equal(scans, Directory.GetFiles(Output, "*.l1.h5").Length);
    }

    /// <summary>The root attributes of an L1 product, read with h5py (numbers and arrays as JSON numbers and lists).</summary>
    private static JsonElement ReadAttributes(string product) => JsonDocument.Parse(Python(
        "import h5py, json, sys\n"
        + "f = h5py.File(sys.argv[1], 'r')\n"
        + "def plain(v):\n"
        + "    v = v.tolist() if hasattr(v, 'tolist') else v\n"
        + "    return [plain(x) for x in v] if isinstance(v, list) else (v.decode() if isinstance(v, bytes) else v)\n"
        + "print(json.dumps({k: plain(v) for k, v in f.attrs.items()}))\n",
        product)).RootElement.Clone();

    private static double LastOnMjd(string raw) => double.Parse(
        Python("import h5py, sys\nprint(repr(float(h5py.File(sys.argv[1], 'r')['on/mjd'][:].max())))\n", raw).Trim(), CultureInfo.InvariantCulture);

    private static string Python(string script, string argument)
    {
        // Debian's python3, which ./test.sh installs with h5py (a pyenv python3 may come first on PATH).
        using var process = Process.Start(new ProcessStartInfo("/usr/bin/python3", ["-c", script, argument])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = process.StandardOutput.ReadToEnd();
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, errors);
        return output;
    }
}

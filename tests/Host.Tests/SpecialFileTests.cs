using System.Globalization;
using Scanflow.Engine.Ledger;
using Scanflow.Engine.Tests;
using Xunit.Abstractions;

namespace Scanflow.Host.Tests;

/// <summary>A FIFO, a Unix socket and a device node named <c>*.h5</c> where scans are expected (issue 10, item 2):
/// never opened (a FIFO would block its reader for good), each skipped with the reason, everything else calibrated.</summary>
public sealed class SpecialFileTests(ITestOutputHelper output) : IDisposable
{
    private const string NotRegular = ", not a regular file; only regular files are read as scans";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "scanflow-host-tests", Guid.NewGuid().ToString("N"));

    private string Source => Path.Combine(_directory, "source");

    private string Drop => Path.Combine(_directory, "drop");

    private string Output => Path.Combine(_directory, "l1");

    [Fact]
    public void Calibrate_skips_a_FIFO_a_socket_and_a_device_with_the_reason_and_calibrates_everything_else_Issue10()
    {
        Simulate(scans: 3);
        using var special = new SpecialFiles(Source, "scan_000000"); // listed before every scan

        var plan = ScanflowProcess.Run("calibrate", Source, "--output", Output, "--dry-run");
        var run = ScanflowProcess.Run("calibrate", Source, "--output", Output);
        var named = ScanflowProcess.Run("calibrate", special.Fifo, "--output", Path.Combine(_directory, "fifo-l1"));

        Assert.Equal(0, plan.ExitCode);
        Assert.Contains("3 science scans to calibrate with 1 calibration scans; 3 failed", plan.Output, StringComparison.Ordinal);
        Assert.Contains("is a FIFO (named pipe)", plan.Output, StringComparison.Ordinal);
        Assert.Contains("is a socket", plan.Output, StringComparison.Ordinal);
        Assert.Contains("is a character device", plan.Output, StringComparison.Ordinal);

        Assert.True(run.ExitCode == 2, run.Output + run.Errors);
        Assert.Equal(3, Directory.GetFiles(Output, "*.l1.h5").Length);
        Assert.Equal(
            [
                (special.Device, "plan", "is a character device" + NotRegular),
                (special.Fifo, "plan", "is a FIFO (named pipe)" + NotRegular),
                (special.Socket, "plan", "is a socket" + NotRegular),
            ],
            FailureReport.Load(Output).Failures.Select(f => (f.File, f.Stage, f.Reason)));
        Assert.Contains($"{special.Fifo}: FAILED in plan: is a FIFO (named pipe){NotRegular}", run.Output, StringComparison.Ordinal);

        Assert.Equal(1, named.ExitCode); // nothing calibrated
        Assert.Contains($"{special.Fifo}: FAILED in plan: is a FIFO (named pipe){NotRegular}", named.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_service_rejects_a_FIFO_a_socket_and_a_device_calibrates_the_scans_after_them_and_stops_promptly_Issue10()
    {
        Simulate(scans: 3);
        Directory.CreateDirectory(Drop);
        using var special = new SpecialFiles(Drop, "scan_000000"); // settle first, before every scan
        var scans = Directory.GetFiles(Source, "*.h5").Order(StringComparer.Ordinal).ToArray();
        foreach (var scan in scans[..2])
        {
            File.Copy(scan, Path.Combine(Drop, Path.GetFileName(scan)));
        }

        var truncated = Path.Combine(Drop, "truncated.h5");
        File.WriteAllBytes(truncated, File.ReadAllBytes(scans[1])[..4096]);

        using var service = new ServiceProcess(
            new Dictionary<string, string> { ["SCANFLOW__RescanSeconds"] = "1", ["SCANFLOW__ShutdownGraceSeconds"] = "20" },
            "--drop", Drop, "--output", Output, "--settle-seconds", "0.5");
        await service.WaitForAsync("calibrated →");

        // A FIFO landing while the service runs, and scans after it.
        var late = Path.Combine(Drop, "late_fifo.h5");
        SpecialFiles.MakeFifo(late);
        await service.WaitForAsync("rejected", count: 5);
        foreach (var scan in scans[2..])
        {
            File.Copy(scan, Path.Combine(Drop, Path.GetFileName(scan)));
        }

        await service.WaitForAsync("calibrated →", count: 3);
        var (exitCode, took) = await service.TerminateAsync();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"SIGTERM to exit: {took.TotalSeconds:F1} s"));

        // Prompt: the stop is the service's own, not the host's shutdown timeout cutting it short.
        Assert.Equal(0, exitCode);
        Assert.Contains("stopping: no new scans", service.Log, StringComparison.Ordinal);
        Assert.Contains("stopped cleanly", service.Log, StringComparison.Ordinal);
        Assert.Contains($"{special.Fifo}: rejected: is a FIFO (named pipe){NotRegular}", service.Log, StringComparison.Ordinal);
        Assert.Contains($"{special.Socket}: rejected: is a socket{NotRegular}", service.Log, StringComparison.Ordinal);
        Assert.Contains($"{special.Device}: rejected: is a character device{NotRegular}", service.Log, StringComparison.Ordinal);
        Assert.Contains($"{late}: rejected: is a FIFO (named pipe){NotRegular}", service.Log, StringComparison.Ordinal);

        // One sentence naming the file once; the HDF5 error stack only at debug level.
        Assert.Contains($"{truncated}: rejected: cannot be opened as HDF5 (truncated, still being written, or not an HDF5 file)\n", service.Log + "\n", StringComparison.Ordinal);
        Assert.DoesNotContain("H5Fopen", service.Log, StringComparison.Ordinal);

        using var ledger = LedgerReader.Open(Path.Combine(Output, LedgerWriter.DefaultFileName));
        Assert.Equal(
            [
                (late, "is a FIFO (named pipe)" + NotRegular),
                (special.Device, "is a character device" + NotRegular),
                (special.Fifo, "is a FIFO (named pipe)" + NotRegular),
                (special.Socket, "is a socket" + NotRegular),
                (truncated, "cannot be opened as HDF5 (truncated, still being written, or not an HDF5 file)"),
            ],
            ledger.RejectedFiles().Select(r => (r.Path, r.Reason)).Order());
        var rows = ledger.Scans();
        Assert.Equal(3, rows.Count);
        Assert.All(rows, r => Assert.Equal(ScanStatus.Succeeded, r.Status));
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private void Simulate(int scans) => ScanflowProcess.Simulate(
        Source, "--scans", scans.ToString(CultureInfo.InvariantCulture), "--pixels", "2", "--channels", "64", "--on-dumps", "5", "--off-dumps", "2", "--no-noise");
}

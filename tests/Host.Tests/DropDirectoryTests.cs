using System.Globalization;
using Scanflow.Engine.Ledger;

namespace Scanflow.Host.Tests;

/// <summary>What the service says about its drop directory (issue 10, item 6): no WAITING for a calibration that is
/// already there, and a drop directory it cannot list said once, and once more when it can again.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DropDirectoryTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "scanflow-host-tests", Guid.NewGuid().ToString("N"));

    private string Source => Path.Combine(_directory, "source");

    private string Drop => Path.Combine(_directory, "drop");

    private string Output => Path.Combine(_directory, "l1");

    private static Dictionary<string, string> Fast => new()
    {
        ["SCANFLOW__MaxCalibrationAgeMinutes"] = "600",
        ["SCANFLOW__RescanSeconds"] = "1",
        ["SCANFLOW__ShutdownGraceSeconds"] = "20",
    };

    [Fact]
    public async Task A_start_on_a_full_drop_directory_logs_no_WAITING_for_science_listed_before_its_calibration_Issue10()
    {
        // What a restart after a ledger loss finds: every file there already, the calibration named after the science.
        Simulate(scans: 5);
        Directory.CreateDirectory(Drop);
        foreach (var file in Directory.GetFiles(Source, "*.h5"))
        {
            var name = Path.GetFileName(file);
            File.Copy(file, Path.Combine(Drop, name.EndsWith("_cal.h5", StringComparison.Ordinal) ? "z_" + name : name));
        }

        using var service = new ServiceProcess(Fast, "--drop", Drop, "--output", Output, "--settle-seconds", "0.5");
        await service.WaitForAsync("calibrated →", count: 5);
        var (exitCode, _) = await service.TerminateAsync();

        Assert.Equal(0, exitCode);
        Assert.Equal(0, service.Count("WAITING"));
        using var ledger = LedgerReader.Open(Path.Combine(Output, LedgerWriter.DefaultFileName));
        var rows = ledger.Scans();
        Assert.Equal(5, rows.Count);
        Assert.All(rows, r => Assert.Equal(ScanStatus.Succeeded, r.Status));
    }

    [Fact]
    public async Task A_drop_directory_that_cannot_be_listed_is_logged_once_and_once_more_when_it_can_Issue10()
    {
        Simulate(scans: 1);
        Directory.CreateDirectory(Drop);

        // Root reads any directory; without CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH the service obeys its mode bits.
        using var service = new ServiceProcess(
            ["setpriv", "--bounding-set=-dac_override,-dac_read_search"], Fast, "--drop", Drop, "--output", Output, "--settle-seconds", "0.5");
        await service.WaitForAsync("watching");
        File.SetUnixFileMode(Drop, UnixFileMode.None);
        await service.WaitForAsync("cannot be listed");
        foreach (var file in Directory.GetFiles(Source, "*.h5"))
        {
            File.Copy(file, Path.Combine(Drop, Path.GetFileName(file)));
        }

        // The outage lasts several rescans (one a second); each would say it again were it not said once.
        await Task.Delay(TimeSpan.FromSeconds(4));
        File.SetUnixFileMode(Drop, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        await service.WaitForAsync("can be listed again");
        await service.WaitForAsync("calibrated →");
        var (exitCode, _) = await service.TerminateAsync();

        Assert.Equal(0, exitCode);
        Assert.Equal(1, service.Count("cannot be listed"));
        Assert.Equal(1, service.Count("can be listed again"));
        Assert.Contains($"the drop directory {Drop} cannot be listed (Access to the path '{Drop}' is denied.)", service.Log, StringComparison.Ordinal);
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

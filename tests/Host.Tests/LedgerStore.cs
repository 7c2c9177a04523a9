using Scanflow.Engine.Formats;
using Scanflow.Engine.Ledger;
using Scanflow.Engine.Model;

namespace Scanflow.Host.Tests;

/// <summary>
/// A calibrated store and its ledger for the query commands: the real <c>scanflow simulate</c> (one calibration and
/// three LFA science scans, 2 × 64) and <c>scanflow calibrate STORE --output OUT</c>, then every L1 product in OUT
/// has a SUCCEEDED row in <c>OUT/scanflow-ledger.sqlite</c> (written by calibrate when it keeps the ledger, else here
/// with <see cref="LedgerWriter"/> from the real files and checksums), plus two FAILED rows that never ran:
/// scan 90 LFA (permanent, in load, an error with a comma, quotes and a line break) and scan 91 HFA (transient, in write).
/// </summary>
public sealed class LedgerStore : IDisposable
{
    public const long PermanentFailure = 90;
    public const long TransientFailure = 91;
    public const string TrickyError = "bad \"hot\" load, counts are NaN\nsecond line";
    public const string ConfigSha256 = "c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00";

    public LedgerStore()
    {
        var simulate = ScanflowProcess.Run("simulate", "--output", Store, "--scans", "3", "--pixels", "2", "--channels", "64");
        Assert.True(simulate.ExitCode == 0, simulate.Errors);
        var calibrate = ScanflowProcess.Run("calibrate", Store, "--output", Output);
        Assert.True(calibrate.ExitCode == 0, calibrate.Output + calibrate.Errors);
        Assert.Equal(3, Products.Length);
        Complete();
    }

    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "scanflow-host-tests", Guid.NewGuid().ToString("N"));

    public string Store => Path.Combine(Directory, "store");

    public string Output => Path.Combine(Directory, "l1");

    public string Ledger => Path.Combine(Output, LedgerWriter.DefaultFileName);

    public string CalibrationFile => Path.Combine(Store, "scan_000001_LFA_cal.h5");

    /// <summary>The L1 products calibrate wrote, by path.</summary>
    public string[] Products => [.. System.IO.Directory.GetFiles(Output, "*.l1.h5").Order(StringComparer.Ordinal)];

    public static IReadOnlyDictionary<string, TimeSpan> Stages => new Dictionary<string, TimeSpan>
    {
        ["load"] = TimeSpan.FromSeconds(0.5),
        ["calibrate"] = TimeSpan.FromSeconds(1.25),
        ["write"] = TimeSpan.FromSeconds(0.125),
    };

    public LedgerWriter OpenWriter() => LedgerWriter.Open(Ledger, new LedgerOptions(), TimeProvider.System);

    public LedgerReader OpenReader() => LedgerReader.Open(Ledger);

    /// <summary>Claims a scan with the real provenance of <paramref name="inputPath"/> (or made-up provenance for a scan that has no file).</summary>
    internal ClaimResult Claim(LedgerWriter writer, long scanId, Band band, string inputPath, string inputSha256, string l1Path)
    {
        var header = File.Exists(inputPath) ? RawScanFile.ReadHeader(inputPath) : null;
        var scan = new LedgerScan
        {
            ScanId = scanId,
            Band = band,
            Source = header?.Source ?? "orion-kl",
            ObsMode = header?.ObsMode ?? ObsMode.TotalPower,
            StartMjd = header?.StartMjd ?? 61367.5,
            InputPath = inputPath,
            ConfigSha256 = ConfigSha256,
            EngineVersion = "0.1.0-test",
            L1Path = l1Path,
        };
        var claim = writer.Claim(new ScanClaim(
            scan, inputSha256, header is null ? 1234 : new FileInfo(inputPath).Length, [1], [FileChecksum.Sha256(CalibrationFile)], null));
        Assert.Equal(ClaimOutcome.Claimed, claim.Outcome);
        return claim;
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }

    private void Complete()
    {
        HashSet<string> known = [];
        if (File.Exists(Ledger))
        {
            using var reader = OpenReader();
            known = [.. reader.Products().Select(p => Path.GetFullPath(p.L1Path))];
        }

        using var writer = OpenWriter();
        foreach (var product in Products.Where(p => !known.Contains(p)))
        {
            var scanId = long.Parse(Path.GetFileName(product)[5..11], System.Globalization.CultureInfo.InvariantCulture);
            var input = Path.Combine(Store, $"scan_{scanId:D6}_LFA_tp.h5");
            var claim = Claim(writer, scanId, Band.Lfa, input, FileChecksum.Sha256(input), product);
            writer.Succeeded(claim.RowId, claim.Attempt, product, FileChecksum.Sha256(product), new FileInfo(product).Length, [], Stages);
        }

        var permanent = Claim(writer, PermanentFailure, Band.Lfa, Path.Combine(Store, "scan_000090_LFA_tp.h5"), new string('a', 64), Path.Combine(Output, "scan_000090_LFA.l1.h5"));
        writer.Failed(permanent.RowId, permanent.Attempt, "load", TrickyError, FailureKind.Permanent, new Dictionary<string, TimeSpan> { ["load"] = TimeSpan.FromSeconds(0.25) });
        var transient = Claim(writer, TransientFailure, Band.Hfa, Path.Combine(Store, "scan_000091_HFA_tp.h5"), new string('b', 64), Path.Combine(Output, "scan_000091_HFA.l1.h5"));
        writer.Failed(transient.RowId, transient.Attempt, "write", "No space left on device", FailureKind.Transient, Stages);
    }
}

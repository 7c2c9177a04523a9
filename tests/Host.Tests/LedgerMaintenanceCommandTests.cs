using System.Text.Json;
using Scanflow.Engine.Formats;
using Scanflow.Engine.Ledger;
using Scanflow.Engine.Model;
using Scanflow.Engine.Tests;

namespace Scanflow.Host.Tests;

/// <summary><c>scanflow retry</c> and <c>scanflow verify</c> against the real process; each test has its own store and ledger.</summary>
public sealed class LedgerMaintenanceCommandTests : IDisposable
{
    /// <summary>Each science scan's <c>.qa.json</c> and five plots, recorded and re-hashed beside its L1 file (issue 14).</summary>
    private static readonly int QaFilesPerScan = ScanProductFiles.SidecarsPerScan;

    private readonly LedgerStore _store = new();

    [Fact]
    public void Retry_scan_requeues_that_failed_scan_and_nothing_else()
    {
        var result = ScanflowProcess.Run("retry", "--scan", "90", "--ledger", _store.Ledger);

        Assert.True(result.ExitCode == 0, result.Errors);
        Assert.Contains("requeued 1 scan(s)", result.Output, StringComparison.Ordinal);
        Assert.Equal([90L], ScanIds("PENDING"));
        Assert.Equal([91L], ScanIds("FAILED"));
    }

    [Fact]
    public void Retry_failed_requeues_every_failed_scan_once()
    {
        var first = ScanflowProcess.Run("retry", "--failed", "--ledger", _store.Ledger);
        var second = ScanflowProcess.Run("retry", "--failed", "--ledger", _store.Ledger);

        Assert.True(first.ExitCode == 0, first.Errors);
        Assert.Contains("requeued 2 scan(s)", first.Output, StringComparison.Ordinal);
        Assert.Equal([90L, 91L], ScanIds("PENDING"));
        Assert.Equal(1, second.ExitCode);
        Assert.Contains("nothing to requeue: no scan is FAILED", second.Errors, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--scan", "2")]
    [InlineData("--scan", "12345")]
    public void Retry_of_a_scan_that_is_not_failed_exits_1(string option, string scanId)
    {
        var result = ScanflowProcess.Run("retry", option, scanId, "--ledger", _store.Ledger);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"nothing to requeue: no FAILED or WAITING row for scan {scanId}", result.Errors, StringComparison.Ordinal);
        Assert.Equal([2L, 3L, 4L], ScanIds("SUCCEEDED"));
    }

    [Fact]
    public void Retry_without_a_choice_is_a_usage_error()
    {
        var result = ScanflowProcess.Run("retry", "--ledger", _store.Ledger);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--failed", result.Errors, StringComparison.Ordinal);
        Assert.Equal([90L, 91L], ScanIds("FAILED"));
    }

    [Fact]
    public void Verify_a_clean_output_directory_exits_0()
    {
        var result = ScanflowProcess.Run("verify", _store.Output);

        Assert.True(result.ExitCode == 0, result.Output + result.Errors);
        Assert.Contains($"verified 3 L1 products and {3 * QaFilesPerScan} QA files and plots in {_store.Output}: all match the ledger", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_reports_a_tampered_product_a_missing_one_and_an_unknown_one()
    {
        var products = _store.Products;
        FlipAByte(products[0]);
        File.Delete(products[1]);
        var stray = Path.Combine(_store.Output, "scan_000099_LFA.l1.h5");
        File.Copy(products[2], stray);

        var result = ScanflowProcess.Run("verify", _store.Output);

        Assert.True(result.ExitCode == 2, result.Output + result.Errors);
        Assert.Contains($"MISMATCH  {products[0]}: sha256 {FileChecksum.Sha256(products[0])}, the ledger recorded ", result.Output, StringComparison.Ordinal);
        Assert.Contains($"MISSING   {products[1]}: in the ledger", result.Output, StringComparison.Ordinal);
        Assert.Contains($"UNKNOWN   {stray}: an L1 file the ledger has no SUCCEEDED product for", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(products[2] + ":", result.Output, StringComparison.Ordinal);
        Assert.Equal(3, ProblemLines(result.Output));
        // The QA files and plots of all three scans are untouched, so they match even beside a tampered or missing L1 file.
        Assert.Contains($"verified {_store.Output}: {1 + (3 * QaFilesPerScan)} match, 3 problem(s)", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_reports_a_FIFO_in_place_of_a_product_and_one_named_like_a_product_without_opening_them()
    {
        var products = _store.Products;
        File.Delete(products[0]);
        SpecialFiles.MakeFifo(products[0]);
        var stray = Path.Combine(_store.Output, "scan_000099_LFA.l1.h5");
        SpecialFiles.MakeFifo(stray);

        var result = ScanflowProcess.Run("verify", _store.Output);

        Assert.True(result.ExitCode == 2, result.Output + result.Errors);
        Assert.Contains($"MISMATCH  {products[0]}: is a FIFO (named pipe), not a regular file", result.Output, StringComparison.Ordinal);
        Assert.Contains($"UNKNOWN   {stray}: is a FIFO (named pipe), not a regular file", result.Output, StringComparison.Ordinal);
        Assert.Equal(2, ProblemLines(result.Output));
        Assert.Contains($"verified {_store.Output}: {2 + (3 * QaFilesPerScan)} match, 2 problem(s)", result.Output, StringComparison.Ordinal);
    }

    /// <summary>A product superseded by a recalibration of changed input is kept as <c>.v1.l1.h5</c>; verify checks it against the earlier attempt.</summary>
    [Fact]
    public void Verify_accepts_a_superseded_product_that_matches_an_earlier_attempt()
    {
        var product = _store.Products[0];
        var input = Path.Combine(_store.Store, "scan_000002_LFA_tp.h5");
        var older = Path.Combine(_store.Output, "scan_000002_LFA.v1.l1.h5");
        using (var writer = _store.OpenWriter())
        {
            var claim = _store.Claim(writer, 2, Band.Lfa, input, new string('c', 64), product);
            Assert.Equal(product, claim.SupersededL1Path);
            Assert.Equal(older, L1FileNaming.VersionedPath(product));
            File.Move(product, older);
            File.WriteAllText(product, "the recalibrated product");
            writer.Succeeded(claim.RowId, claim.Attempt, product, FileChecksum.Sha256(product), new FileInfo(product).Length, [], LedgerStore.Stages);
        }

        var clean = ScanflowProcess.Run("verify", _store.Output, "--ledger", _store.Ledger);
        FlipAByte(older);
        var tampered = ScanflowProcess.Run("verify", _store.Output);

        Assert.True(clean.ExitCode == 0, clean.Output + clean.Errors);
        Assert.Contains("verified 4 L1 products", clean.Output, StringComparison.Ordinal);
        Assert.Equal(2, tampered.ExitCode);
        Assert.Contains($"UNKNOWN   {older}:", tampered.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_without_a_directory_or_a_ledger_exits_1()
    {
        var noDirectory = ScanflowProcess.Run("verify", Path.Combine(_store.Directory, "nowhere"));
        var noLedger = ScanflowProcess.Run("verify", _store.Store);

        Assert.Equal(1, noDirectory.ExitCode);
        Assert.Contains("nowhere is not a directory", noDirectory.Errors, StringComparison.Ordinal);
        Assert.Equal(1, noLedger.ExitCode);
        Assert.Contains($"scanflow verify: no ledger at {Path.Combine(_store.Store, LedgerWriter.DefaultFileName)}", noLedger.Errors, StringComparison.Ordinal);
    }

    public void Dispose() => _store.Dispose();

    private static void FlipAByte(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        file.Position = file.Length / 2;
        var value = file.ReadByte();
        file.Position--;
        file.WriteByte((byte)(value ^ 0xff));
    }

    private static int ProblemLines(string output) =>
        output.Split('\n').Count(line => line.StartsWith("MISMATCH  ", StringComparison.Ordinal) || line.StartsWith("MISSING   ", StringComparison.Ordinal) || line.StartsWith("UNKNOWN   ", StringComparison.Ordinal));

    private long[] ScanIds(string status)
    {
        var result = ScanflowProcess.Run("scans", "--status", status, "--json", "--ledger", _store.Ledger);
        Assert.True(result.ExitCode == 0, result.Errors);
        using var json = JsonDocument.Parse(result.Output);
        return [.. json.RootElement.EnumerateArray().Select(r => r.GetProperty("scan_id").GetInt64()).Order()];
    }
}

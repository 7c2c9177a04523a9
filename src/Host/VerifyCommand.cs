using System.CommandLine;
using System.Text.RegularExpressions;
using Scanflow.Engine.Formats;
using Scanflow.Engine.Ledger;

namespace Scanflow.Host;

/// <summary>
/// <c>scanflow verify DIR [--ledger PATH | --output DIR | --config FILE]</c>: re-hashes every SUCCEEDED product the ledger lists under DIR and every
/// <c>*.l1.h5</c> under DIR, and reports checksum mismatches, products missing on disk and L1 files the ledger does not
/// know. The QA files (QA_METRIC, PLOT) recorded with each current product are re-hashed too. Exit 0 all match, 2 problems
/// found, 1 bad usage or no ledger.
/// </summary>
internal static partial class VerifyCommand
{
    private const string L1Pattern = "*.l1.h5";

    public static Command Create()
    {
        var directory = new Argument<DirectoryInfo>("DIR") { Description = "The output directory holding the L1 products" };
        var ledger = new LedgerFlags($"DIR/{LedgerWriter.DefaultFileName}");
        var command = new Command("verify", "Re-hash the L1 products in DIR and their QA files and plots, and compare them with the ledger") { directory };
        ledger.AddTo(command);
        command.SetAction(result =>
        {
            var dir = result.GetValue(directory)!;
            if (!dir.Exists)
            {
                return LedgerAccess.Fail("verify", $"{dir.FullName} is not a directory");
            }

            return LedgerAccess.Read("verify", ledger, result, (reader, _) =>
            {
                var earlier = reader.Attempts().Where(a => a.Status == ScanStatus.Succeeded && a.L1Sha256 is not null).Select(a => (a.L1Path, a.L1Sha256!)).ToList();
                var quality = reader.CurrentProducts().Where(p => p.Type != ProductTypes.Science).ToList();
                var problems = Verify(dir.FullName, reader.Products(), earlier, Console.Out, out var matched);
                problems += VerifyQuality(dir.FullName, quality, Console.Out, out var matchedQuality);
                var others = matchedQuality == 0 ? "" : $" and {LedgerAccess.Invariant(matchedQuality)} QA files and plots";
                Console.WriteLine(problems == 0
                    ? $"verified {LedgerAccess.Invariant(matched)} L1 products{others} in {dir.FullName}: all match the ledger"
                    : $"verified {dir.FullName}: {LedgerAccess.Invariant(matched + matchedQuality)} match, {LedgerAccess.Invariant(problems)} problem(s)");
                return problems == 0 ? 0 : 2;
            }, directory: dir.FullName);
        });
        return command;
    }

    /// <summary>
    /// Writes one line per problem (MISMATCH, MISSING, UNKNOWN) and returns how many; <paramref name="matched"/> counts
    /// the files that match. <paramref name="products"/> are the current SUCCEEDED products; <paramref name="earlier"/>
    /// every SUCCEEDED attempt's product, against which a superseded <c>scan_&lt;id&gt;_&lt;BAND&gt;.v&lt;n&gt;.l1.h5</c> is
    /// checked (it was renamed from the attempt's path when changed inputs were recalibrated).
    /// </summary>
    public static int Verify(
        string directory, IReadOnlyList<(string L1Path, string L1Sha256)> products, IReadOnlyList<(string L1Path, string L1Sha256)> earlier, TextWriter report, out int matched)
    {
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory)) + Path.DirectorySeparatorChar;
        var expected = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (l1Path, sha256) in products)
        {
            var full = Path.GetFullPath(l1Path);
            if (full.StartsWith(root, StringComparison.Ordinal))
            {
                expected[full] = sha256;
            }
        }

        var onDisk = Directory.EnumerateFiles(root, L1Pattern, SearchOption.AllDirectories).Select(Path.GetFullPath).ToHashSet(StringComparer.Ordinal);
        var problems = 0;
        matched = 0;
        foreach (var (path, sha256) in expected.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (Matches(path, sha256, type: null, report))
            {
                matched++;
            }
            else
            {
                problems++;
            }
        }

        var history = earlier.ToLookup(e => Path.GetFullPath(e.L1Path), e => e.L1Sha256, StringComparer.Ordinal);
        foreach (var path in onDisk.Where(p => !expected.ContainsKey(p)).Order(StringComparer.Ordinal))
        {
            if (FileNode.NotRegular(path) is { } notRegular)
            {
                report.WriteLine($"UNKNOWN   {path}: {notRegular}, named like an L1 product");
                problems++;
                continue;
            }

            var actual = FileChecksum.Sha256(path);
            if (VersionSuffix().Replace(path, ".l1.h5") is var original && original != path
                && history[original].Contains(actual, StringComparer.OrdinalIgnoreCase))
            {
                matched++;
                continue;
            }

            report.WriteLine($"UNKNOWN   {path}: an L1 file the ledger has no SUCCEEDED product for (sha256 {actual})");
            problems++;
        }

        return problems;
    }

    /// <summary>
    /// The QA files and plots recorded with the current products under <paramref name="directory"/>: one line per problem
    /// (MISMATCH, MISSING), naming the product type, as <see cref="Verify"/> writes for L1 files; returns how many, and
    /// counts the files that match in <paramref name="matched"/>. A superseded product's QA files (<c>.v&lt;n&gt;.</c>) and
    /// QA files the ledger does not know are not looked for.
    /// </summary>
    public static int VerifyQuality(string directory, IReadOnlyList<ProductRecord> products, TextWriter report, out int matched)
    {
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory)) + Path.DirectorySeparatorChar;
        var problems = 0;
        matched = 0;
        foreach (var product in products.Where(p => Path.GetFullPath(p.Path).StartsWith(root, StringComparison.Ordinal)).OrderBy(p => p.Path, StringComparer.Ordinal))
        {
            if (Matches(Path.GetFullPath(product.Path), product.Sha256, product.Type, report))
            {
                matched++;
            }
            else
            {
                problems++;
            }
        }

        return problems;
    }

    /// <summary>Whether the file at <paramref name="path"/> is there, regular and has <paramref name="sha256"/>; writes the
    /// MISSING or MISMATCH line otherwise, naming <paramref name="type"/> when given (QA files and plots).</summary>
    private static bool Matches(string path, string sha256, string? type, TextWriter report)
    {
        if (!File.Exists(path))
        {
            report.WriteLine($"MISSING   {path}: {(type is null ? "" : $"{type} product ")}in the ledger (sha256 {sha256}) but not on disk");
            return false;
        }

        if (FileNode.NotRegular(path) is { } notRegular)
        {
            report.WriteLine($"MISMATCH  {path}: {notRegular}; the ledger recorded a {(type is null ? "" : type + " ")}product with sha256 {sha256}");
            return false;
        }

        var actual = FileChecksum.Sha256(path);
        if (string.Equals(actual, sha256, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        report.WriteLine($"MISMATCH  {path}: {(type is null ? "" : $"{type} product, ")}sha256 {actual}, the ledger recorded {sha256}");
        return false;
    }

    /// <summary>The <c>.v&lt;n&gt;</c> that <c>L1FileNaming.VersionedPath</c> inserts before <c>.l1.h5</c>.</summary>
    [GeneratedRegex(@"\.v[0-9]+\.l1\.h5$")]
    private static partial Regex VersionSuffix();
}

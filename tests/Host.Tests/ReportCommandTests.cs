using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Scanflow.Engine.Ledger;
using Scanflow.Engine.Tests;
using SkiaSharp;

namespace Scanflow.Host.Tests;

/// <summary>Issue 14 item 4: <c>scanflow report</c> against a ledger written by the real <c>scanflow calibrate</c>.</summary>
public sealed class ReportCommandTests : IClassFixture<ReportCommandTests.Night>
{
    private readonly Night _night;

    public ReportCommandTests(Night night) => _night = night;

    [Fact]
    public void Report_lists_every_ledger_row_with_its_status_14()
    {
        var site = _night.Report("all");

        var rows = Index(site).QuerySelectorAll("#scans tbody tr")
            .Select(r => (Scan: Cell(r, 0), Band: Cell(r, 2), Status: Cell(r, 1)))
            .Order().ToList();
        using var reader = LedgerReader.Open(_night.Ledger);
        var ledger = reader.Scans().Select(s => (Scan: s.ScanId.ToString(System.Globalization.CultureInfo.InvariantCulture), s.Band, Status: LedgerAccess.Name(s.Status))).Order().ToList();
        Assert.Equal(ledger, rows);
        Assert.Equal(4, rows.Count);
        Assert.Contains(("51", "HFA", "FAILED"), rows);
        Assert.Contains("4 scans (3 SUCCEEDED, 1 FAILED)", Index(site).QuerySelector("#summary")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_link_of_the_index_and_every_image_of_the_scan_pages_exists_and_images_decode_14()
    {
        var site = _night.Report("links");

        var links = Index(site).QuerySelectorAll("a[href]").Select(a => a.GetAttribute("href")!).ToList();
        Assert.Equal(4, links.Count);
        var images = 0;
        foreach (var link in links)
        {
            var page = Path.Combine(site, link);
            Assert.True(File.Exists(page), $"{link} is linked from the index but does not exist");
            var document = Parse(page);
            Assert.All(document.QuerySelectorAll("a[href]"), a => Assert.True(File.Exists(Path.Combine(site, a.GetAttribute("href")!)), a.GetAttribute("href")));
            foreach (var img in document.QuerySelectorAll("img"))
            {
                var file = Path.Combine(site, img.GetAttribute("src")!);
                Assert.True(File.Exists(file), $"{link}: {img.GetAttribute("src")} does not exist");
                Assert.False(string.IsNullOrWhiteSpace(img.GetAttribute("alt")));
                using var bitmap = SKBitmap.Decode(file);
                Assert.NotNull(bitmap);
                Assert.Equal(img.GetAttribute("width"), bitmap.Width.ToString(System.Globalization.CultureInfo.InvariantCulture));
                Assert.Equal(img.GetAttribute("height"), bitmap.Height.ToString(System.Globalization.CultureInfo.InvariantCulture));
                images++;
            }
        }

        // Three calibrated scans with five plots each; the failed scan's page has none, but its status and error.
        Assert.Equal(3 * ScanProductFiles.PlotKinds.Length, images);
        Assert.Equal(3 * ScanProductFiles.PlotKinds.Length, Directory.GetFiles(Path.Combine(site, "images")).Length);
        var failed = Parse(Path.Combine(site, "scan_000051_HFA.html"));
        Assert.Empty(failed.QuerySelectorAll("img"));
        Assert.Equal("FAILED", failed.QuerySelector("#status strong")!.TextContent);
        Assert.Contains("100 % of the hot load counts are NaN", failed.QuerySelector("#error")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void A_source_name_with_HTML_metacharacters_is_shown_as_text_14()
    {
        var site = _night.Report("escape");

        var index = File.ReadAllText(Path.Combine(site, "index.html"));
        Assert.DoesNotContain(Night.TrickySource, index, StringComparison.Ordinal);
        Assert.Contains(Night.TrickySource, Index(site).QuerySelectorAll("td.source").Select(td => td.TextContent), StringComparer.Ordinal);
        // The only script of each page is the report's own sorter.
        Assert.Single(Index(site).QuerySelectorAll("script"));
        var page = Parse(Path.Combine(site, "scan_000003_LFA.html"));
        Assert.Empty(page.QuerySelectorAll("script"));
        Assert.Contains(Night.TrickySource, page.QuerySelectorAll("#scan dd").Select(dd => dd.TextContent), StringComparer.Ordinal);
    }

    [Fact]
    public void Since_lists_only_the_rows_updated_after_it_and_a_rerun_removes_the_other_pages_14()
    {
        var site = _night.Report("since");
        Assert.Equal(4, Index(site).QuerySelectorAll("#scans tbody tr").Length);

        var result = ScanflowProcess.Run("report", "--output", site, "--ledger", _night.Ledger, "--since", _night.Between.ToString("O", System.Globalization.CultureInfo.InvariantCulture));

        Assert.True(result.ExitCode == 0, result.Output + result.Errors);
        var rows = Index(site).QuerySelectorAll("#scans tbody tr");
        Assert.Equal(["21"], rows.Select(r => Cell(r, 0)));
        Assert.Equal(["index.html", "report.css", "report.js", "scan_000021_LFA.html"], Directory.GetFiles(site).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.All(Directory.GetFiles(Path.Combine(site, "images")), f => Assert.StartsWith("scan_000021_LFA.", Path.GetFileName(f), StringComparison.Ordinal));
    }

    [Fact]
    public void A_bad_since_is_one_sentence_and_exit_1_14()
    {
        var result = ScanflowProcess.Run("report", "--output", Path.Combine(_night.Directory, "bad"), "--ledger", _night.Ledger, "--since", "yesterday");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--since must be an ISO 8601 time", result.Errors, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_night.Directory, "bad")));
    }

    private static string Cell(IElement row, int column) => row.QuerySelectorAll("td")[column].TextContent.Trim();

    private static IDocument Index(string site) => Parse(Path.Combine(site, "index.html"));

    private static IDocument Parse(string path) => new HtmlParser().ParseDocument(File.ReadAllText(path));

    /// <summary>Calibrated once for the class by the real process: LFA scans 2 and 3 (scan 3's source renamed to
    /// <see cref="TrickySource"/>), HFA scan 51 FAILED in load (its calibration's hot load is NaN); then, after
    /// <see cref="Between"/>, LFA scan 21 from a second store.</summary>
    public sealed class Night : IDisposable
    {
        public const string TrickySource = "<script>alert(\"x\")</script> & 'Orion'";

        public Night()
        {
            ScanflowProcess.Simulate(Store, "--scans", "2", "--pixels", "2", "--channels", "64");
            ScanflowProcess.Simulate(Store, "--scans", "1", "--pixels", "2", "--channels", "64", "--band", "HFA", "--first-scan-id", "50");
            StoreDamage.Apply(
                Directory,
                Store,
                """
                import h5py, numpy as np, os, sys
                os.chdir(sys.argv[1])
                with h5py.File('scan_000050_HFA_cal.h5', 'r+') as f:
                    f['hot/counts'][...] = np.nan
                with h5py.File('scan_000003_LFA_tp.h5', 'r+') as f:
                    f.attrs['source'] = '<script>alert("x")</script> & \'Orion\''
                """);
            Calibrate(Store);
            Between = DateTimeOffset.UtcNow;
            ScanflowProcess.Simulate(Late, "--scans", "1", "--pixels", "2", "--channels", "64", "--first-scan-id", "20", "--start-mjd", "61367.5");
            Calibrate(Late);
        }

        public string Directory { get; } = Path.Combine(Path.GetTempPath(), "scanflow-host-tests", Guid.NewGuid().ToString("N"));

        public string Ledger => Path.Combine(Output, LedgerWriter.DefaultFileName);

        /// <summary>A time after the first calibrate finished and before the second started.</summary>
        public DateTimeOffset Between { get; }

        private string Store => Path.Combine(Directory, "store");

        private string Late => Path.Combine(Directory, "late");

        private string Output => Path.Combine(Directory, "l1");

        /// <summary>Runs <c>scanflow report</c> into a new directory named <paramref name="name"/>; returns it.</summary>
        public string Report(string name)
        {
            var site = Path.Combine(Directory, "report-" + name);
            var result = ScanflowProcess.Run("report", "--output", site, "--ledger", Ledger);
            Assert.True(result.ExitCode == 0, result.Output + result.Errors);
            Assert.Contains(Path.Combine(site, "index.html"), result.Output, StringComparison.Ordinal);
            return site;
        }

        public void Dispose()
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (System.IO.Directory.Exists(Directory))
            {
                System.IO.Directory.Delete(Directory, recursive: true);
            }
        }

        private void Calibrate(string store)
        {
            var result = ScanflowProcess.Run("calibrate", store, "--output", Output);
            Assert.True(result.ExitCode is 0 or 2, result.Output + result.Errors); // 2: scan 51 failed, as it should
        }
    }
}

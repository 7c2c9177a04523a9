using System.Diagnostics;
using System.Globalization;
using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.Builder;
using Scanflow.Engine.Ledger;
using Scanflow.Engine.Tests;
using Scanflow.Host.Report;
using SkiaSharp;

namespace Scanflow.Host.Tests;

/// <summary>Issue 14 item 4: the real <c>scanflow run</c> keeps the QA report current and serves it read-only at
/// <c>/report/</c> on its metrics listener.</summary>
public sealed class ReportServiceTests : IDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(2);

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "scanflow-host-tests", Guid.NewGuid().ToString("N"));

    private string Store => Path.Combine(_directory, "store");

    private string Late => Path.Combine(_directory, "late");

    private string Drop => Path.Combine(_directory, "drop");

    private string Output => Path.Combine(_directory, "l1");

    private static Dictionary<string, string> Fast() => new()
    {
        ["SCANFLOW__MaxCalibrationAgeMinutes"] = "600",
        ["SCANFLOW__RescanSeconds"] = "1",
        ["SCANFLOW__ShutdownGraceSeconds"] = "20",
    };

    [Fact]
    public async Task Run_serves_the_report_of_the_scans_it_calibrated_and_updates_it_when_a_later_scan_lands_14()
    {
        ScanflowProcess.Simulate(Store, "--scans", "2", "--pixels", "2", "--channels", "64");
        ScanflowProcess.Simulate(Late, "--scans", "1", "--pixels", "2", "--channels", "64", "--first-scan-id", "20", "--start-mjd", "61367.5");
        Directory.CreateDirectory(Drop);
        using var service = new ServiceProcess(Fast(), "--drop", Drop, "--output", Output, "--settle-seconds", "0.5");
        var report = await service.ReportUrlAsync();
        Assert.Equal("/report/", report.AbsolutePath);
        Assert.Contains($"kept current in {Path.Combine(Output, "report")})", service.Log, StringComparison.Ordinal); // the default, OUTPUT/report
        await service.WaitForAsync("watching");

        DropAll(Store);
        var index = await IndexUntilAsync(report, rows => rows.Contains(("2", "SUCCEEDED")) && rows.Contains(("3", "SUCCEEDED")), service);

        Assert.Equal(LedgerRows(), Rows(index));
        var page = index.QuerySelectorAll("#scans tbody a").Select(a => a.GetAttribute("href")!).Single(h => h.StartsWith("scan_000002_", StringComparison.Ordinal));
        // The plots are drawn after the scan is recorded: its page gains them when the report is next written.
        var scanPage = await PageUntilAsync(new Uri(report, page), d => d.QuerySelectorAll("img").Length == ScanProductFiles.PlotKinds.Length, "its five plots", service);
        Assert.Equal("SUCCEEDED", scanPage.QuerySelector("#status strong")!.TextContent);
        var images = scanPage.QuerySelectorAll("img");
        Assert.Equal(ScanProductFiles.PlotKinds.Length, images.Length);
        foreach (var img in images)
        {
            var image = new Uri(new Uri(report, page), img.GetAttribute("src"));
            using var response = await Http.GetAsync(image);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("image/png", response.Content.Headers.ContentType!.MediaType);
            var bytes = await response.Content.ReadAsByteArrayAsync();
            using var bitmap = SKBitmap.Decode(bytes);
            Assert.NotNull(bitmap);
            Assert.Equal(img.GetAttribute("width"), bitmap.Width.ToString(CultureInfo.InvariantCulture));
            Assert.Equal(img.GetAttribute("height"), bitmap.Height.ToString(CultureInfo.InvariantCulture));

            // HEAD: the same length, no body.
            using var head = await Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, image));
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
            Assert.Equal(bytes.Length, head.Content.Headers.ContentLength);
            Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        }

        // Issue 15: a static page's needs and nothing more; the style sheet and script are files of the site.
        using (var served = await Http.GetAsync(report))
        {
            Assert.Equal(ReportEndpoint.ContentSecurityPolicy, served.Headers.GetValues("Content-Security-Policy").Single());
            Assert.Equal("nosniff", served.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.DoesNotContain("<script>", await served.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        foreach (var (asset, type) in new[] { ("report.css", "text/css"), ("report.js", "text/javascript") })
        {
            using var served = await Http.GetAsync(new Uri(report, asset));
            Assert.Equal(HttpStatusCode.OK, served.StatusCode);
            Assert.Equal(type, served.Content.Headers.ContentType!.MediaType);
        }

        // /report without the slash leads to the index (its links are relative to /report/).
        using (var bare = await Http.GetAsync(new Uri(report, "/report")))
        {
            Assert.Equal(HttpStatusCode.OK, bare.StatusCode);
            Assert.Equal(report, bare.RequestMessage!.RequestUri);
        }

        // A later scan dropped in while the service runs: the index is brought up to date without a restart.
        DropAll(Late);
        index = await IndexUntilAsync(report, rows => rows.Contains(("21", "SUCCEEDED")), service);
        Assert.Equal(LedgerRows(), Rows(index));
        Assert.Equal(3, Rows(index).Count);

        Assert.Equal(0, (await service.TerminateAsync()).ExitCode);
        Assert.Equal(LedgerRows(), Rows(new HtmlParser().ParseDocument(File.ReadAllText(Path.Combine(Output, "report", ReportSite.IndexFile)))));
    }

    [Fact]
    public async Task Traversal_attempts_get_400_or_404_and_never_a_file_outside_the_site_14()
    {
        var site = Path.Combine(_directory, "site");
        var secret = Path.Combine(_directory, "secret.html");
        var sentinel = Guid.NewGuid().ToString("N");
        Directory.CreateDirectory(Drop);
        Directory.CreateDirectory(site);
        File.WriteAllText(secret, $"<p>{sentinel}</p>");
        // Links inside the site that lead out of it: the report never writes one, and none is followed.
        File.CreateSymbolicLink(Path.Combine(site, "link.html"), secret);
        Directory.CreateSymbolicLink(Path.Combine(site, "outside"), _directory);
        var environment = Fast();
        environment["SCANFLOW__ReportDir"] = site;
        using var service = new ServiceProcess(environment, "--drop", Drop, "--output", Output);
        var report = await service.ReportUrlAsync();
        Assert.Contains($"kept current in {site})", service.Log, StringComparison.Ordinal);
        await IndexUntilAsync(report, _ => true, service); // the report of the empty ledger, written at start

        var encodedSecret = Uri.EscapeDataString(secret);
        string[] targets =
        [
            "/report/../secret.html",
            "/report/%2e%2e/secret.html",
            "/report/%2E%2E%2Fsecret.html",
            "/report/..%2fsecret.html",
            "/report/images/../../secret.html",
            "/report/images/%2e%2e%2f%2e%2e%2fsecret.html",
            "/report/%252e%252e%252fsecret.html",
            "/report/..%5csecret.html",
            "/report/..\\secret.html",
            $"/report/{encodedSecret}",
            $"/report/{secret}",
            "/report/C:%5Csecret.html",
            "/report/link.html",
            "/report/outside/secret.html",
            "/report/outside/l1/scanflow-ledger.sqlite",
            "/report/.%2e/secret.html",
            "/report/secret.html%00.png",
            $"{report.Scheme}://{report.Authority}/report/../secret.html",
        ];
        foreach (var target in targets)
        {
            var (status, _, body) = await RawHttp.SendAsync(report, "GET", target);
            Assert.True(status is 400 or 404, $"GET {target} answered {status}:\n{body}");
            Assert.DoesNotContain(sentinel, body, StringComparison.Ordinal);
            Assert.DoesNotContain("SQLite format", body, StringComparison.Ordinal);
        }

        // Folders are not listed; only GET and HEAD.
        Assert.Equal(404, (await RawHttp.SendAsync(report, "GET", "/report/images")).Status);
        Assert.Equal(404, (await RawHttp.SendAsync(report, "GET", "/report/images/")).Status);
        Assert.Equal(405, (await RawHttp.SendAsync(report, "POST", "/report/")).Status);
        Assert.Equal(405, (await RawHttp.SendAsync(report, "DELETE", "/report/index.html")).Status);
        var (redirect, headers, _) = await RawHttp.SendAsync(report, "GET", "/report");
        Assert.Equal(301, redirect);
        Assert.Contains("\r\nLocation: /report/", headers, StringComparison.Ordinal);
        var (ok, _, index) = await RawHttp.SendAsync(report, "GET", "/report/");
        Assert.Equal(200, ok);
        Assert.Contains("0 scans", index, StringComparison.Ordinal);
        Assert.Equal(0, (await service.TerminateAsync()).ExitCode);
    }

    [Fact]
    public async Task A_report_that_cannot_be_written_is_one_warning_and_the_scans_are_calibrated_as_before_14()
    {
        ScanflowProcess.Simulate(Store, "--scans", "1", "--pixels", "2", "--channels", "64");
        ScanflowProcess.Simulate(Late, "--scans", "1", "--pixels", "2", "--channels", "64", "--first-scan-id", "20", "--start-mjd", "61367.5");
        Directory.CreateDirectory(Drop);
        using var service = new ServiceProcess(Fast(), "--drop", Drop, "--output", Output, "--settle-seconds", "0.5");
        var report = await service.ReportUrlAsync();
        await IndexUntilAsync(report, _ => true, service);
        // The index cannot be renamed into place while a folder has its name.
        var index = Path.Combine(Output, "report", ReportSite.IndexFile);
        File.Delete(index);
        Directory.CreateDirectory(index);

        DropAll(Store);
        await service.WaitForAsync("calibrated →");
        await service.WaitForAsync("cannot be written");
        Assert.Contains($"the report in {Path.Combine(Output, "report")} cannot be written (", service.Log, StringComparison.Ordinal);
        using (var unavailable = await Http.GetAsync(report))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, unavailable.StatusCode);
            Assert.StartsWith("The report is not written yet", await unavailable.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Directory.Delete(index);
        DropAll(Late);
        var rows = Rows(await IndexUntilAsync(report, r => r.Contains(("21", "SUCCEEDED")), service));
        await service.WaitForAsync("can be written again");

        Assert.Equal([("2", "SUCCEEDED"), ("21", "SUCCEEDED")], rows);
        Assert.Equal(1, service.Count("cannot be written"));
        Assert.Equal(0, (await service.TerminateAsync()).ExitCode);
    }

    [Fact]
    public async Task Before_the_first_report_is_written_the_listener_answers_503_with_a_sentence_14()
    {
        var site = Path.Combine(_directory, "site");
        Directory.CreateDirectory(site);
        var builder = WebApplication.CreateSlimBuilder();
        MetricsListener.Listen(builder, new ServiceSettings { MetricsUrl = new Uri("http://127.0.0.1:0/metrics") });
        await using var app = builder.Build();
        ReportEndpoint.Map(app, site);
        await app.StartAsync();
        var report = new Uri(new Uri(app.Urls.First()), "/report/");

        using (var before = await Http.GetAsync(report))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, before.StatusCode);
            Assert.Equal(
                $"The report is not written yet: scanflow run writes it into {site} once the ledger is open, and again after scans are recorded. Try again in a few seconds.",
                (await before.Content.ReadAsStringAsync()).Trim());
        }

        File.WriteAllText(Path.Combine(site, ReportSite.IndexFile), "<!DOCTYPE html><title>r</title>");
        using var after = await Http.GetAsync(report);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal("<!DOCTYPE html><title>r</title>", await after.Content.ReadAsStringAsync());
        await app.StopAsync();
    }

    [Theory]
    [InlineData("inside-drop", "Scanflow:ReportDir = '{drop}/report' is inside the drop directory {drop}, which the service only reads; set --report-dir to a directory outside it")]
    [InlineData("under-a-file", "Scanflow:ReportDir = '{dir}/a-file/report' is not writable ({dir}/a-file is a file, not a directory); set --report-dir to a directory scanflow may write to")]
    [InlineData("metrics-at-report", "Scanflow:MetricsUrl = 'http://127.0.0.1:0/report' has the path /report, where the listener serves the report; use e.g. /metrics")]
    public async Task A_bad_report_setting_stops_the_start_with_one_sentence_14(string caseName, string sentence)
    {
        Directory.CreateDirectory(Drop);
        File.WriteAllText(Path.Combine(_directory, "a-file"), "");
        string[] flags = caseName switch
        {
            "inside-drop" => ["--report-dir", Path.Combine(Drop, "report")],
            "under-a-file" => ["--report-dir", Path.Combine(_directory, "a-file", "report")],
            _ => ["--metrics-url", "http://127.0.0.1:0/report"],
        };

        using var service = new ServiceProcess(Fast(), ["--drop", Drop, "--output", Output, .. flags]);

        Assert.Equal(1, await service.ExitAsync(60));
        Assert.Equal($"scanflow run: {sentence.Replace("{drop}", Drop, StringComparison.Ordinal).Replace("{dir}", _directory, StringComparison.Ordinal)}", service.Log.Trim());
        Assert.False(Directory.Exists(Output), "the output directory was created by a start that was refused");
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    /// <summary>Polls the served index until its rows satisfy <paramref name="done"/>; fails with the last rows and the
    /// service's log after <see cref="Deadline"/>.</summary>
    private static Task<IDocument> IndexUntilAsync(Uri report, Func<List<(string Scan, string Status)>, bool> done, ServiceProcess service) =>
        PageUntilAsync(report, d => done(Rows(d)), "the expected rows", service, d => string.Join(", ", Rows(d)));

    /// <summary>Polls a served page until <paramref name="done"/>; fails naming <paramref name="what"/>, the last answer
    /// and the service's log after <see cref="Deadline"/>.</summary>
    private static async Task<IDocument> PageUntilAsync(
        Uri page, Func<IDocument, bool> done, string what, ServiceProcess service, Func<IDocument, string>? describe = null)
    {
        var watch = Stopwatch.StartNew();
        var last = "no answer yet";
        while (watch.Elapsed < Deadline)
        {
            using var response = await Http.GetAsync(page);
            var text = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == HttpStatusCode.OK)
            {
                Assert.Equal("text/html; charset=utf-8", response.Content.Headers.ContentType!.ToString());
                var document = new HtmlParser().ParseDocument(text);
                if (done(document))
                {
                    return document;
                }

                last = describe?.Invoke(document) ?? document.Title ?? "a page";
            }
            else
            {
                last = $"{(int)response.StatusCode}: {text}";
            }

            await Task.Delay(200);
        }

        Assert.Fail($"{page} did not come to {what} within {Deadline.TotalSeconds} s; last: {last}. Log:\n{service.Log}");
        return null!;
    }

    private static List<(string Scan, string Status)> Rows(IDocument index) =>
        [.. index.QuerySelectorAll("#scans tbody tr").Select(r => (r.QuerySelectorAll("td")[0].TextContent.Trim(), r.QuerySelectorAll("td")[1].TextContent.Trim())).Order()];

    private List<(string Scan, string Status)> LedgerRows()
    {
        using var reader = LedgerReader.Open(Path.Combine(Output, LedgerWriter.DefaultFileName));
        return [.. reader.Scans().Select(s => (s.ScanId.ToString(CultureInfo.InvariantCulture), LedgerAccess.Name(s.Status))).Order()];
    }

    /// <summary>Drops every raw file of <paramref name="store"/> the way a writer should: as .part, renamed when complete.</summary>
    private void DropAll(string store)
    {
        foreach (var file in Directory.GetFiles(store, "*.h5").Order(StringComparer.Ordinal))
        {
            var part = Path.Combine(Drop, Path.GetFileName(file) + ".part");
            File.Copy(file, part);
            File.Move(part, Path.Combine(Drop, Path.GetFileName(file)));
        }
    }
}

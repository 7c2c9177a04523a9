using System.Globalization;
using Microsoft.AspNetCore.Builder;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using Scanflow.Engine.Ledger;
using Scanflow.Engine.Tests;
using Scanflow.Host.Report;

namespace Scanflow.Host.Tests;

/// <summary>Issue 14 item 4: the report of the real <c>scanflow demo</c> night, opened in Debian's headless Chromium.</summary>
public sealed class ReportBrowserTests : IClassFixture<ReportBrowserTests.DemoNight>
{
    private readonly DemoNight _night;

    public ReportBrowserTests(DemoNight night) => _night = night;

    [Fact]
    public void The_index_lists_every_scan_of_the_ledger_14()
    {
        _night.Open("index.html");

        using var reader = LedgerReader.Open(_night.Ledger);
        var ledger = reader.Scans().Select(s => s.ScanId.ToString(CultureInfo.InvariantCulture)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(5, ledger.Count);
        Assert.Equal(ledger, ScanColumn(_night.Browser).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_image_of_every_scan_page_loads_in_the_browser_14()
    {
        _night.Open("index.html");
        var pages = _night.Browser.FindElements(By.CssSelector("#scans tbody a")).Select(a => a.GetDomAttribute("href")!).ToList();
        Assert.Equal(5, pages.Count);

        var images = 0;
        foreach (var page in pages)
        {
            _night.Open(page);
            // The page load strategy waits for the load event, which waits for every image.
            var broken = (IReadOnlyCollection<object>)_night.Browser.ExecuteScript(
                "return Array.from(document.images).filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.getAttribute('src'));")!;
            Assert.True(broken.Count == 0, $"{page}: broken images {string.Join(", ", broken)}");
            images += Convert.ToInt32(_night.Browser.ExecuteScript("return document.images.length;"), CultureInfo.InvariantCulture);
        }

        Assert.Equal(5 * ScanProductFiles.PlotKinds.Length, images);
    }

    [Fact]
    public void Clicking_a_scan_in_the_index_opens_its_page_14()
    {
        _night.Open("index.html");
        var link = _night.Browser.FindElements(By.CssSelector("#scans tbody a"))[^1];
        var scan = link.Text;

        link.Click();

        Assert.EndsWith(".html", _night.Browser.Url, StringComparison.Ordinal);
        Assert.DoesNotContain("index.html", _night.Browser.Url, StringComparison.Ordinal);
        Assert.StartsWith($"Scan {scan} ", _night.Browser.Title, StringComparison.Ordinal);
        Assert.StartsWith($"Scan {scan} ", _night.Browser.FindElement(By.TagName("h1")).Text, StringComparison.Ordinal);
        _night.Screenshot("report-scan.png", height: 1400);
    }

    [Fact]
    public void Clicking_the_scan_header_sorts_ascending_then_descending_14()
    {
        _night.Open("index.html");
        var ids = ScanColumn(_night.Browser).Select(id => int.Parse(id, CultureInfo.InvariantCulture)).ToList();
        var header = _night.Browser.FindElement(By.CssSelector("#scans thead th"));

        header.Click();
        Assert.Equal("ascending", header.GetDomAttribute("aria-sort"));
        Assert.Equal(ids.Order(), ScanColumn(_night.Browser).Select(id => int.Parse(id, CultureInfo.InvariantCulture)));

        header.Click();
        Assert.Equal("descending", header.GetDomAttribute("aria-sort"));
        Assert.Equal(ids.OrderDescending(), ScanColumn(_night.Browser).Select(id => int.Parse(id, CultureInfo.InvariantCulture)));
        _night.Screenshot("report-index.png", height: 500);
    }

    /// <summary>Issue 15: served by the service's endpoint, under its Content-Security-Policy (no inline code), the
    /// style sheet and the script still apply — the headers sort, the page is styled — and every image loads.</summary>
    [Fact]
    public async Task Served_under_its_content_security_policy_the_report_is_styled_sorts_and_shows_every_image_15()
    {
        var builder = WebApplication.CreateSlimBuilder();
        MetricsListener.Listen(builder, new ServiceSettings { MetricsUrl = new Uri("http://127.0.0.1:0/metrics") });
        await using var app = builder.Build();
        ReportEndpoint.Map(app, Path.Combine(_night.Directory, "report"));
        await app.StartAsync();
        var report = new Uri(new Uri(app.Urls.First()), "/report/");

        _night.Browser.Navigate().GoToUrl(report);
        var header = _night.Browser.FindElement(By.CssSelector("#scans thead th"));
        Assert.Equal("pointer", _night.Browser.ExecuteScript("return getComputedStyle(arguments[0]).cursor;", header));
        header.Click();
        Assert.Equal("ascending", header.GetDomAttribute("aria-sort"));
        var page = _night.Browser.FindElements(By.CssSelector("#scans tbody a"))[0].GetDomAttribute("href")!;
        _night.Browser.Navigate().GoToUrl(new Uri(report, page));
        var images = (IReadOnlyCollection<object>)_night.Browser.ExecuteScript(
            "return Array.from(document.images).map(i => i.complete && i.naturalWidth > 0);")!;

        Assert.Equal(Enumerable.Repeat((object)true, ScanProductFiles.PlotKinds.Length), images);
    }

    private static List<string> ScanColumn(ChromeDriver browser) =>
        [.. browser.FindElements(By.CssSelector("#scans tbody tr td:first-child")).Select(td => td.Text.Trim())];

    /// <summary>One <c>scanflow demo --seconds 4</c> night (its report written by the demo) and one headless Chromium
    /// for the class, driven through Debian's chromedriver so that Selenium Manager has nothing to download.</summary>
    public sealed class DemoNight : IDisposable
    {
        private const string Chromium = "/usr/bin/chromium";
        private const string ChromeDriver = "/usr/bin/chromedriver";

        public DemoNight()
        {
            Assert.True(File.Exists(Chromium) && File.Exists(ChromeDriver), $"{Chromium} or {ChromeDriver} is missing; run ./test.sh, which installs the Debian packages chromium and chromium-driver");
            var result = ScanflowProcess.Run("demo", "--output", Directory, "--seconds", "4");
            Assert.True(result.ExitCode == 0, result.Output + result.Errors);

            var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(ChromeDriver)!, Path.GetFileName(ChromeDriver));
            service.HideCommandPromptWindow = true;
            service.SuppressInitialDiagnosticInformation = true;
            var options = new ChromeOptions { BinaryLocation = Chromium };
            options.AddArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,1000");
            Browser = new ChromeDriver(service, options, TimeSpan.FromMinutes(1));
        }

        public string Directory { get; } = Path.Combine(Path.GetTempPath(), "scanflow-host-tests", Guid.NewGuid().ToString("N"));

        public string Ledger => Path.Combine(Directory, "l1", LedgerWriter.DefaultFileName);

        public ChromeDriver Browser { get; }

        /// <summary>Opens a page of the demo's report from disk (file://).</summary>
        public void Open(string page) => Browser.Navigate().GoToUrl(new Uri(Path.Combine(Directory, "report", page)).AbsoluteUri);

        /// <summary>Saves what the browser shows, in a window <paramref name="height"/> pixels high, to
        /// <c>docs/images/NAME</c>; only with SCANFLOW_WRITE_DOC_IMAGES=1, so that a test run does not rewrite the docs.</summary>
        public void Screenshot(string name, int height)
        {
            if (Environment.GetEnvironmentVariable("SCANFLOW_WRITE_DOC_IMAGES") == "1")
            {
                var size = Browser.Manage().Window.Size;
                Browser.Manage().Window.Size = new System.Drawing.Size(size.Width, height);
                Browser.GetScreenshot().SaveAsFile(Path.Combine(Repository.Root(), "docs", "images", name));
                Browser.Manage().Window.Size = size;
            }
        }

        public void Dispose()
        {
            Browser.Dispose(); // quits Chromium and chromedriver
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (System.IO.Directory.Exists(Directory))
            {
                System.IO.Directory.Delete(Directory, recursive: true);
            }
        }
    }
}

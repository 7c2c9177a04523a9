using System.Globalization;
using Scanflow.Engine.Ledger;

namespace Scanflow.Host.Report;

/// <summary>
/// Writes the static report of a ledger into a directory: <c>index.html</c> (a sortable table of the rows), one
/// <c>scan_&lt;id:D6&gt;_&lt;BAND&gt;.html</c> per row, their style sheet and script (<c>report.css</c>, <c>report.js</c>:
/// files, not inline, so the served site's Content-Security-Policy can forbid inline code), and copies of the current
/// plots under <c>images/</c>, so the
/// directory is self-contained and can be served read-only. Every file is written under a temporary name and renamed;
/// pages and images are in place before the index that links them; pages and images of an earlier report that this one
/// does not list are removed, so running it again gives the same site. A file that already holds what would be written
/// is not written again (<see cref="SiteFile"/>).
/// </summary>
internal sealed class ReportSite
{
    public const string IndexFile = "index.html";
    public const string ImagesDirectory = "images";

    /// <summary>The plots of a scan, in the order they are drawn and shown, with their alt text.</summary>
    private static readonly (string Kind, string Alt)[] PlotKinds =
    [
        ("tsys", "T_sys spectra of every pixel"),
        ("spectrum", "Mean T_A* spectrum per pixel against frequency"),
        ("waterfall", "Dump by channel waterfall of the array-mean T_A*"),
        ("pwvfit", "PWV fit: measured sky temperature per bin against the model"),
        ("radiometer", "Array map of the radiometer ratio"),
    ];

    // Parsed once per process: the service writes a report every few scans.
    private static readonly ReportTemplates Templates = new();
    private readonly string _directory;
    private readonly string _images;
    private readonly Dictionary<string, string> _copied = new(StringComparer.Ordinal); // image name → source path

    public ReportSite(string directory)
    {
        _directory = Path.GetFullPath(directory);
        _images = Path.Combine(_directory, ImagesDirectory);
    }

    /// <summary>Writes the report of the rows of <paramref name="reader"/> updated at or after <paramref name="since"/>
    /// (every row when null); returns how many scan pages it wrote. Cancelled, it stops between pages and leaves the
    /// earlier index in place (every page that index links is still there).</summary>
    public int Write(LedgerReader reader, string ledgerPath, DateTimeOffset? since, DateTimeOffset now, CancellationToken cancellation = default)
    {
        Directory.CreateDirectory(_images);
        foreach (var asset in ReportTemplates.Assets)
        {
            SiteFile.WriteText(Path.Combine(_directory, asset), ReportTemplates.Asset(asset));
        }

        var rows = reader.Scans().Where(r => since is not { } s || r.UpdatedUtc >= s).ToList();
        var pages = new HashSet<string>(StringComparer.Ordinal);
        var indexRows = new List<IndexRow>();
        foreach (var row in rows)
        {
            cancellation.ThrowIfCancellationRequested();
            var page = PageName(row, pages);
            var quality = row.Status == ScanStatus.Succeeded ? reader.ProductsOf(row.RowId, currentOnly: true) : [];
            var qa = quality.FirstOrDefault(p => p.Type == ProductTypes.QaMetric) is { } qaFile ? ScanQuality.Read(qaFile.Path) : null;
            SiteFile.WriteText(Path.Combine(_directory, page), Templates.Scan(ScanPageOf(row, quality, qa)));
            indexRows.Add(IndexRowOf(row, page, qa));
        }

        var counts = string.Join(", ", rows.GroupBy(r => r.Status).OrderBy(g => g.Key).Select(g => $"{Invariant(g.Count())} {LedgerAccess.Name(g.Key)}"));
        var index = new IndexPage(
            LedgerAccess.Time(now),
            ledgerPath,
            $"{Invariant(rows.Count)} scans" + (counts.Length > 0 ? $" ({counts})" : ""),
            since is { } from ? LedgerAccess.Time(from) : null,
            indexRows);
        SiteFile.WriteText(Path.Combine(_directory, IndexFile), Templates.Index(index));
        RemoveStale(pages);
        return rows.Count;
    }

    /// <summary><c>scan_&lt;id:D6&gt;_&lt;BAND&gt;.html</c>, or with <c>_row&lt;N&gt;</c> for a second row of the same scan and band (another configuration).</summary>
    private static string PageName(ScanRecord row, HashSet<string> taken)
    {
        var band = new string([.. row.Band.Where(char.IsAsciiLetterOrDigit)]).ToUpperInvariant();
        var name = string.Create(CultureInfo.InvariantCulture, $"scan_{row.ScanId:D6}_{band}.html");
        if (!taken.Add(name))
        {
            name = string.Create(CultureInfo.InvariantCulture, $"scan_{row.ScanId:D6}_{band}_row{row.RowId}.html");
            taken.Add(name);
        }

        return name;
    }

    private static IndexRow IndexRowOf(ScanRecord row, string page, ScanQuality? qa)
    {
        var tsys = qa?.MedianTsysK;
        return new IndexRow(
            Invariant(row.ScanId),
            page,
            LedgerAccess.Name(row.Status),
            row.Band,
            row.ObsMode,
            row.Source,
            StartUtc(row.StartMjd),
            Number(row.StartMjd, "R"),
            Number(qa?.PwvMm, "0.00"),
            Number(qa?.PwvMm, "R"),
            Number(tsys, "0.0"),
            Number(tsys, "R"),
            Number(qa?.WorstRadiometerRatio, "0.00"),
            Number(qa?.WorstRadiometerRatio, "R"),
            qa is { WorstRadiometerRatio: { } worst, SuspectRadiometerRatio: { } threshold } && worst > threshold,
            Number(qa?.FlaggedFraction, "0.000"),
            Number(qa?.FlaggedFraction, "R"));
    }

    private ScanPage ScanPageOf(ScanRecord row, IReadOnlyList<ProductRecord> products, ScanQuality? qa)
    {
        var status = LedgerAccess.Name(row.Status);
        var plots = new List<PlotImage>();
        var problems = new List<string>();
        if (row.Status == ScanStatus.Succeeded)
        {
            var files = products.Where(p => p.Type == ProductTypes.Plot).ToList();
            foreach (var (kind, alt) in PlotKinds)
            {
                if (files.FirstOrDefault(p => p.Path.EndsWith($".{kind}.png", StringComparison.Ordinal)) is not { } plot)
                {
                    problems.Add($"plot {kind}: not recorded in the ledger");
                }
                else if (CopyImage(row, plot.Path) is { } image)
                {
                    plots.Add(new PlotImage(kind, $"{ImagesDirectory}/{image.Name}", $"{alt}, scan {Invariant(row.ScanId)} {row.Band}", image.Width, image.Height));
                }
                else
                {
                    problems.Add($"plot {kind}: {plot.Path} is missing or not a PNG");
                }
            }

            if (qa is null)
            {
                problems.Add("QA metrics: no readable qa.json recorded for this product");
            }
        }

        var error = row.Error is { } text ? $"{LedgerAccess.Name(row.FailureKind) ?? "?"} in {row.Stage ?? "?"}: {text}" : null;
        return new ScanPage(
            $"Scan {Invariant(row.ScanId)} {row.Band}",
            status,
            error,
            [
                new("source", row.Source),
                new("mode", row.ObsMode),
                new("band", row.Band),
                new("start (UTC)", StartUtc(row.StartMjd)),
                new("start MJD", LedgerAccess.Mjd(row.StartMjd)),
            ],
            plots,
            problems,
            qa is null ? [] : QualityOf(qa),
            qa is null ? [] : [.. qa.Pixels.Select(p => new PixelRow(
                Invariant(p.PixelId), Number(p.TsysMedianK, "0.0"), Number(p.TrxMedianK, "0.0"), Number(p.FlaggedChannelFraction, "0.000"), Number(p.RadiometerRatio, "0.00"), p.Suspect))],
            ProvenanceOf(row));
    }

    private static List<LabelledValue> QualityOf(ScanQuality qa) =>
    [
        new("PWV", qa.PwvMm is { } pwv ? $"{Number(pwv, "0.000")} ± {Number(qa.PwvErrMm, "0.000")} mm (fit {qa.AtmFitStatus ?? "–"})" : "–"),
        new("mean airmass", Number(qa.AirmassMean, "0.000")),
        new("median T_sys over pixels", $"{Number(qa.MedianTsysK, "0.0")} K"),
        new("worst radiometer ratio", $"{Number(qa.WorstRadiometerRatio, "0.00")} (suspect above {Number(qa.SuspectRadiometerRatio, "0.00")})"),
        new("flagged channel fraction", Number(qa.FlaggedFraction, "0.000")),
    ];

    private static List<LabelledValue> ProvenanceOf(ScanRecord row)
    {
        var lines = new List<LabelledValue>
        {
            new("ledger row", Invariant(row.RowId)),
            new("input", row.InputPath),
            new("input sha256", $"{row.InputSha256} ({Invariant(row.InputBytes)} bytes)"),
        };
        for (var i = 0; i < row.CalibrationScanIds.Count; i++)
        {
            lines.Add(new("calibration", $"scan {Invariant(row.CalibrationScanIds[i])} sha256 {(i < row.CalibrationSha256.Count ? row.CalibrationSha256[i] : "–")}"));
        }

        lines.Add(new("config sha256", row.ConfigSha256));
        lines.Add(new("engine version", row.EngineVersion));
        lines.Add(new("L1", row.L1Path));
        lines.Add(new("L1 sha256", row.L1Sha256 ?? "–"));
        lines.Add(new("attempts", Invariant(row.Attempts)));
        lines.Add(new("started", LedgerAccess.Time(row.StartedUtc)));
        lines.Add(new("finished", LedgerAccess.Time(row.FinishedUtc)));
        lines.Add(new("updated", LedgerAccess.Time(row.UpdatedUtc)));
        return lines;
    }

    /// <summary>Copies a plot into <c>images/</c> under its own name (prefixed with the ledger row when another plot
    /// already has that name); null when the file is gone or is not a PNG.</summary>
    private (string Name, int Width, int Height)? CopyImage(ScanRecord row, string source)
    {
        if (!File.Exists(source) || PngSize.Of(source) is not { } size)
        {
            return null;
        }

        var name = Path.GetFileName(source);
        if (_copied.TryGetValue(name, out var earlier) && earlier != source)
        {
            name = string.Create(CultureInfo.InvariantCulture, $"row{row.RowId}_{name}");
        }

        if (!_copied.ContainsKey(name))
        {
            SiteFile.Copy(source, Path.Combine(_images, name));
            _copied[name] = source;
        }

        return (name, size.Width, size.Height);
    }

    /// <summary>Removes the scan pages and images of an earlier report that this one does not list, and leftover temporary files.</summary>
    private void RemoveStale(HashSet<string> pages)
    {
        foreach (var file in Directory.EnumerateFiles(_directory, "scan_*.html*"))
        {
            if (!pages.Contains(Path.GetFileName(file)))
            {
                File.Delete(file);
            }
        }

        foreach (var file in Directory.EnumerateFiles(_images))
        {
            if (!_copied.ContainsKey(Path.GetFileName(file)))
            {
                File.Delete(file);
            }
        }

        File.Delete(Path.Combine(_directory, IndexFile + SiteFile.TemporarySuffix));
    }

    /// <summary>UTC of an MJD (MJD 40587 is 1970-01-01), to the second.</summary>
    private static string StartUtc(double mjd) =>
        DateTime.UnixEpoch.AddSeconds(Math.Round((mjd - 40587.0) * 86_400.0)).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private static string Number(double? value, string format) => value is { } v && double.IsFinite(v) ? v.ToString(format, CultureInfo.InvariantCulture) : "";

    private static string Invariant(long value) => LedgerAccess.Invariant(value);
}

using System.Text.Encodings.Web;
using System.Text.Unicode;
using Fluid;

namespace Scanflow.Host.Report;

/// <summary>The report's two Liquid templates (embedded <c>index.liquid</c> and <c>scan.liquid</c>), rendered by Fluid
/// with every value HTML-encoded: a source named <c>&lt;script&gt;</c> is shown as text, never run.</summary>
internal sealed class ReportTemplates
{
    // Escapes <, >, & and quotes, but leaves letters such as ± and é as they are.
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    private readonly TemplateOptions _options = new();
    private readonly IFluidTemplate _index;
    private readonly IFluidTemplate _scan;

    public ReportTemplates()
    {
        foreach (var type in new[] { typeof(IndexPage), typeof(IndexRow), typeof(ScanPage), typeof(LabelledValue), typeof(PlotImage), typeof(PixelRow) })
        {
            _options.MemberAccessStrategy.Register(type);
        }

        var parser = new FluidParser();
        _index = Parse(parser, "index.liquid");
        _scan = Parse(parser, "scan.liquid");
    }

    public string Index(IndexPage page) => Render(_index, page);

    public string Scan(ScanPage page) => Render(_scan, page);

    private string Render(IFluidTemplate template, object page)
    {
        var context = new TemplateContext(_options);
        context.SetValue("page", page);
        return template.Render(context, Encoder);
    }

    /// <summary>The site's files that are the same in every report: its style sheet and its script.</summary>
    public static IReadOnlyList<string> Assets { get; } = ["report.css", "report.js"];

    /// <summary>The text of one of <see cref="Assets"/>, embedded like the templates.</summary>
    public static string Asset(string name) => Embedded(name);

    private static IFluidTemplate Parse(FluidParser parser, string name) =>
        parser.TryParse(Embedded(name), out var template, out var error)
            ? template
            : throw new InvalidOperationException($"the report template {name} does not parse: {error}");

    private static string Embedded(string name)
    {
        using var stream = typeof(ReportTemplates).Assembly.GetManifestResourceStream($"Scanflow.Host.Report.{name}")
            ?? throw new InvalidOperationException($"the report file {name} is not embedded in {typeof(ReportTemplates).Assembly.GetName().Name}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

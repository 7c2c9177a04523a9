using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Scanflow.Host.Report;

/// <summary>
/// Serves the report directory read-only at <c>/report/</c> on the service's listener: <c>/report/</c> is its
/// <c>index.html</c>, <c>/report/NAME</c> a file of the site. Only GET and HEAD; only names the report writes (letters,
/// digits, <c>.</c>, <c>_</c>, <c>-</c>, no leading dot, folders at most one deep) with the extensions it writes; no
/// directory listing, no symbolic link followed. Anything else is 400 (a name the site cannot hold: <c>..</c>, an
/// absolute or encoded path) or 404; before the first report is written, 503 with a sentence saying so.
/// </summary>
internal static class ReportEndpoint
{
    public const string Route = "/report";

    /// <summary>What a static page of the site needs and nothing more: its own style sheet, script and images; no inline
    /// code, no other origin, no forms, not framed by another site.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static readonly string[] Methods = [HttpMethods.Get, HttpMethods.Head];

    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.Ordinal)
    {
        [".html"] = "text/html; charset=utf-8",
        [".png"] = "image/png",
        [".css"] = "text/css; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
    };

    public static void Map(WebApplication app, string directory)
    {
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
        app.MapMethods(Route + "/{**name}", Methods, (HttpContext context) => Serve(context, root));
    }

    private static IResult Serve(HttpContext context, string root)
    {
        var requested = context.Request.Path.Value!;
        if (requested.Length == Route.Length)
        {
            // Without the slash the index's relative links would resolve against "/", as for any static site.
            return Results.Redirect(Route + "/" + context.Request.QueryString, permanent: true);
        }

        if (!File.Exists(Path.Combine(root, ReportSite.IndexFile)))
        {
            return Results.Text(
                $"The report is not written yet: scanflow run writes it into {root} once the ledger is open, and again after scans are recorded. Try again in a few seconds.\n",
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        // Kestrel has already decoded the path and removed dot segments, but not %2F; names are checked after decoding it too.
        var name = Uri.UnescapeDataString(requested[(Route.Length + 1)..]);
        if (name.Length == 0)
        {
            name = ReportSite.IndexFile;
        }

        // A folder (images/) is a name of the site, but is never listed.
        var folder = name.EndsWith('/');
        if (!IsSiteName(folder ? name[..^1] : name))
        {
            return Results.Text("Not a file of the report.\n", statusCode: StatusCodes.Status400BadRequest);
        }

        if (folder)
        {
            return NotFound();
        }

        var file = Path.GetFullPath(Path.Combine(root, name));
        if (!file.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            || !ContentTypes.TryGetValue(Path.GetExtension(file), out var contentType)
            || ThroughLink(root, file))
        {
            return NotFound();
        }

        FileStream stream;
        try
        {
            // Pages are replaced by rename while they are served: an open file stays whole.
            stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            return NotFound(); // UnauthorizedAccessException: a directory, which is never listed
        }

        context.Response.Headers.CacheControl = "no-cache"; // the service rewrites the site; a browser revalidates
        context.Response.Headers.XContentTypeOptions = "nosniff";
        context.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        context.Response.Headers["Referrer-Policy"] = "no-referrer";
        return Results.Stream(stream, contentType, lastModified: File.GetLastWriteTimeUtc(stream.SafeFileHandle), entityTag: null);
    }

    /// <summary>Whether <paramref name="name"/> is a name the report could have written: one or two segments of letters,
    /// digits, '.', '_' and '-', none empty or starting with a dot (so no "..", no absolute path, no backslash).</summary>
    private static bool IsSiteName(string name)
    {
        var segments = name.Split('/');
        return segments.Length <= 2 && segments.All(s =>
            s.Length is > 0 and <= 255 && s[0] != '.' && s.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'));
    }

    /// <summary>Whether <paramref name="file"/> or a folder between it and <paramref name="root"/> is a symbolic link:
    /// the report writes none, and one could lead out of the site.</summary>
    private static bool ThroughLink(string root, string file)
    {
        for (var path = file; path.Length > root.Length; path = Path.GetDirectoryName(path)!)
        {
            if (new FileInfo(path).LinkTarget is not null)
            {
                return true;
            }
        }

        return false;
    }

    private static IResult NotFound() => Results.Text("No such file in the report.\n", statusCode: StatusCodes.Status404NotFound);
}

using System.Security.Cryptography;
using System.Text;

namespace Scanflow.Host;

/// <summary>
/// The bearer tokens the listener accepts, read from <c>Scanflow:MetricsTokenFile</c>: one token per line (blank lines
/// and lines starting with <c>#</c> ignored), at least <see cref="MinimumLength"/> characters each. Several lines let
/// a token be rotated without a gap (add the new one, move the scrapers over, remove the old one). The file is read
/// again when its size or modification time changes, so a rotation needs no restart. Tokens are compared as SHA-256
/// digests with <see cref="CryptographicOperations.FixedTimeEquals"/>, every token every time, so how long an answer
/// takes says nothing about how much of a token was right; they are never logged.
/// </summary>
internal sealed class MetricsTokens
{
    public const int MinimumLength = 16;

    private const string Scheme = "Bearer ";

    private readonly string _path;
    private readonly Lock _reload = new();
    private (long Length, DateTime Modified, byte[][] Digests) _current;

    private MetricsTokens(string path, (long, DateTime, byte[][]) current)
    {
        _path = path;
        _current = current;
    }

    /// <summary>Reads the token file; throws <see cref="UserErrorException"/> with the fix when it cannot be used.</summary>
    public static MetricsTokens Load(string path) => new(path, Read(path));

    /// <summary>Why the token file at <paramref name="path"/> cannot be used (the rest of a sentence), or null.</summary>
    public static string? Problem(string path)
    {
        try
        {
            Read(path);
            return null;
        }
        catch (UserErrorException e)
        {
            return e.Message;
        }
    }

    /// <summary>Whether an <c>Authorization</c> header value carries one of the tokens.</summary>
    public bool Accepts(string? authorization) =>
        Matches(authorization is not null && authorization.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase)
            ? authorization[Scheme.Length..].Trim()
            : "");

    /// <summary>Whether <paramref name="offered"/> is one of the tokens, in a time that depends on its length only.</summary>
    public bool Matches(string offered)
    {
        var digests = Current();
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(offered));
        var accepted = false;
        foreach (var token in digests)
        {
            // Not short-circuited: every token is compared, whichever matches.
            accepted |= CryptographicOperations.FixedTimeEquals(digest, token);
        }

        return accepted;
    }

    private byte[][] Current()
    {
        var file = new FileInfo(_path);
        var current = _current;
        if (file.Exists && (file.Length != current.Length || file.LastWriteTimeUtc != current.Modified))
        {
            lock (_reload)
            {
                try
                {
                    _current = current = Read(_path);
                }
                catch (UserErrorException)
                {
                    // A file caught half-written, or emptied by mistake: the tokens read last stay in force.
                }
            }
        }

        return current.Digests;
    }

    private static (long Length, DateTime Modified, byte[][] Digests) Read(string path)
    {
        FileInfo file;
        string[] lines;
        try
        {
            // Size and time taken before the content: a file replaced meanwhile differs from them and is read again.
            file = new FileInfo(path);
            _ = file.Length;
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserErrorException($"cannot be read ({e.Message.TrimEnd('.')})");
        }

        if (!OperatingSystem.IsWindows() && (file.UnixFileMode & UnixFileMode.OtherRead) != 0)
        {
            throw new UserErrorException($"is readable by every user of this machine; chmod o-r {path} (0600 or 0640)");
        }

        var tokens = lines.Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        if (tokens.Count == 0)
        {
            throw new UserErrorException("holds no token; write one per line, e.g. with: openssl rand -hex 32");
        }

        if (tokens.Any(t => t.Length < MinimumLength || t.Any(char.IsWhiteSpace)))
        {
            throw new UserErrorException(
                $"holds a token shorter than {MinimumLength} characters or with spaces inside; use e.g. openssl rand -hex 32");
        }

        return (file.Length, file.LastWriteTimeUtc, [.. tokens.Select(t => SHA256.HashData(Encoding.UTF8.GetBytes(t)))]);
    }
}

using System.Diagnostics;
using System.Security.Cryptography;

namespace Scanflow.Host.Tests;

/// <summary>Issue 15: the listener's bearer tokens, read from a file, compared in constant time.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class MetricsTokensTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("scanflow-tokens-").FullName;

    private string TokenFile => Path.Combine(_directory, "token");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Only_a_bearer_header_with_a_token_of_the_file_is_accepted_15()
    {
        var token = Token();
        Write($"# the scrapers' token\n\n{token}\n");
        var tokens = MetricsTokens.Load(TokenFile);

        Assert.True(tokens.Accepts($"Bearer {token}"));
        Assert.True(tokens.Accepts($"bearer {token}"));
        Assert.False(tokens.Accepts(null));
        Assert.False(tokens.Accepts(""));
        Assert.False(tokens.Accepts("Bearer "));
        Assert.False(tokens.Accepts(token));
        Assert.False(tokens.Accepts($"Basic {token}"));
        Assert.False(tokens.Accepts($"Bearer {token[..^1]}"));
        Assert.False(tokens.Accepts($"Bearer {token}0"));
        Assert.False(tokens.Accepts("Bearer # the scrapers' token"));
    }

    [Fact]
    public void A_rotation_in_the_file_takes_effect_without_a_restart_and_a_broken_rewrite_keeps_the_tokens_in_force_15()
    {
        string old = Token(), next = Token();
        Write(old + "\n");
        var tokens = MetricsTokens.Load(TokenFile);

        Write($"{old}\n{next}\n");
        Assert.True(tokens.Accepts($"Bearer {old}") && tokens.Accepts($"Bearer {next}"));
        Write(next + "\n");
        Assert.False(tokens.Accepts($"Bearer {old}"));
        Assert.True(tokens.Accepts($"Bearer {next}"));
        Write("");
        Assert.True(tokens.Accepts($"Bearer {next}"));
    }

    [Theory]
    [InlineData("", "holds no token")]
    [InlineData("short\n", "shorter than 16 characters")]
    [InlineData("0123456789abcdef 0123\n", "with spaces inside")]
    public void A_file_without_a_usable_token_is_refused_with_the_fix_15(string content, string expected)
    {
        Write(content);

        Assert.Contains(expected, MetricsTokens.Problem(TokenFile), StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_every_user_may_read_and_a_missing_file_are_refused_15()
    {
        Write(Token() + "\n");
        File.SetUnixFileMode(TokenFile, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        Assert.Equal($"is readable by every user of this machine; chmod o-r {TokenFile} (0600 or 0640)", MetricsTokens.Problem(TokenFile));
        Assert.StartsWith("cannot be read (", MetricsTokens.Problem(Path.Combine(_directory, "none")), StringComparison.Ordinal);
    }

    /// <summary>A comparison that stopped at the first differing character would answer a token wrong in its first
    /// character sooner than one wrong only in its last: with 16 KiB tokens about a thousandfold. Batches of the two
    /// alternate after a warm-up; the fastest batch of each (the one least disturbed by whatever else the machine runs)
    /// must agree within a factor of two.</summary>
    [Fact]
    public void How_long_a_wrong_token_takes_does_not_depend_on_how_much_of_it_is_right_15()
    {
        var token = Token(8_192);
        Write(token + "\n");
        var tokens = MetricsTokens.Load(TokenFile);
        var wrongFirst = $"{(token[0] == 'a' ? 'b' : 'a')}{token[1..]}";
        var wrongLast = $"{token[..^1]}{(token[^1] == 'a' ? 'b' : 'a')}";
        List<double> first = [], last = [];

        Time(tokens, wrongFirst);
        Time(tokens, wrongLast);
        for (var batch = 0; batch < 200; batch++)
        {
            first.Add(Time(tokens, wrongFirst));
            last.Add(Time(tokens, wrongLast));
        }

        Assert.InRange(first.Min() / last.Min(), 0.5, 2.0);
    }

    private static double Time(MetricsTokens tokens, string offered)
    {
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < 10; i++)
        {
            Assert.False(tokens.Matches(offered));
        }

        return watch.Elapsed.TotalMilliseconds;
    }

    private static string Token(int bytes = 32) => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(bytes));

    private void Write(string content)
    {
        // Replaced by rename, as an operator rotating a token should (a reader never sees half a file).
        var temporary = TokenFile + ".new";
        File.WriteAllText(temporary, content);
        File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Move(temporary, TokenFile, overwrite: true);
    }
}

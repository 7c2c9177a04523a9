using System.CommandLine;

namespace Scanflow.Host;

/// <summary>The global <c>--verbose</c> option: an error is then followed by its stack trace, and <c>scanflow run</c> logs
/// Scanflow's debug lines (which include the stack trace of a fault). Without it, a user error is one sentence.</summary>
internal static class Verbosity
{
    public static Option<bool> Option { get; } = new("--verbose")
    {
        Description = "On an error, also print its stack trace (run: log Scanflow's debug lines too)",
        Recursive = true,
    };

    public static bool Of(ParseResult result) => result.GetValue(Option);
}

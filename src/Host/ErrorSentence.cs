using System.Data.Common;
using Scanflow.Engine.Formats;

namespace Scanflow.Host;

/// <summary>The one sentence an exception becomes on stderr or in the service's critical line: the message of a problem
/// the user can fix, without .NET's decorations; anything else is called a bug. No type names, no stack trace.</summary>
internal static class ErrorSentence
{
    public static string Of(Exception error) => error switch
    {
        AggregateException { InnerExceptions.Count: 1 } aggregate => Of(aggregate.InnerExceptions[0]),
        UserErrorException or ScanFormatException => error.Message,
        ArgumentException argument => WithoutParameter(argument),
        DbException => $"the ledger failed ({error.Message.TrimEnd('.')}); if it is damaged, restore it from a backup or move it aside (docs/operations.md, Backing up the ledger)",
        OperationCanceledException => "stopped before it finished (cancelled)",
        IOException or UnauthorizedAccessException => $"{error.Message.TrimEnd('.')}; check that the path exists and that scanflow may read and write it",
        _ => $"unexpected error ({error.Message.TrimEnd('.')}); this is a bug: rerun with --verbose and report what it prints",
    };

    /// <summary>The message without <c> (Parameter 'name')</c>, which .NET appends to the message of an argument exception
    /// that names its parameter: a user never typed that parameter.</summary>
    private static string WithoutParameter(ArgumentException error)
    {
        // The suffix as this runtime spells it: the message of an argument exception with an empty message and the same parameter.
        var suffix = new ArgumentException("", error.ParamName).Message;
        return error.ParamName is not null && error.Message.EndsWith(suffix, StringComparison.Ordinal)
            ? error.Message[..^suffix.Length].TrimEnd()
            : error.Message;
    }
}

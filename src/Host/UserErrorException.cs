namespace Scanflow.Host;

/// <summary>A problem the user can fix (a bad option, a path that cannot be written, a damaged ledger), whose message is
/// the one sentence to print: it names the file or option and says what to do. <see cref="Program"/> prints it after
/// <c>scanflow COMMAND:</c> and exits 1; the stack trace only with <c>--verbose</c>.</summary>
internal sealed class UserErrorException : Exception
{
    public UserErrorException()
    {
    }

    public UserErrorException(string message)
        : base(message)
    {
    }

    public UserErrorException(string message, Exception? inner)
        : base(message, inner)
    {
    }
}

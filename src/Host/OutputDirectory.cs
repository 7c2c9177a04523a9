namespace Scanflow.Host;

/// <summary>Creating the output directory once a run starts (its settings were checked without creating it, so a
/// command that refuses to start makes nothing); a failure is one sentence naming it and <c>--output</c>.</summary>
internal static class OutputDirectory
{
    public static void Create(string directory)
    {
        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserErrorException($"cannot create the output directory {directory} ({e.Message.TrimEnd('.')}); set --output to a directory scanflow may write to", e);
        }
    }
}

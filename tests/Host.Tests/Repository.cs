namespace Scanflow.Host.Tests;

/// <summary>Files of the checkout the tests run from (deploy/, docs/).</summary>
internal static class Repository
{
    /// <summary>The folder holding Engine.sln, found by walking up from the test binaries.</summary>
    public static string Root()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Engine.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"no Engine.sln above {AppContext.BaseDirectory}");
    }

    public static string PathOf(params string[] parts) => Path.Combine([Root(), .. parts]);
}

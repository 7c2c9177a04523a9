namespace Scanflow.Engine.Planning;

/// <summary>The files and subdirectories directly inside one directory.</summary>
internal readonly record struct DirectoryListing(string[] Files, string[] Directories)
{
    /// <summary>Lists <paramref name="directory"/>; throws <see cref="IOException"/> or <see cref="UnauthorizedAccessException"/> when it cannot.</summary>
    public static DirectoryListing Read(string directory) =>
        new(Directory.GetFiles(directory), Directory.GetDirectories(directory));
}

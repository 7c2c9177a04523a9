namespace Scanflow.Engine.Formats;

/// <summary>The moves of product files outside a writer: a dead run's temporary file removed, and a product that a
/// newer one supersedes set aside under a versioned name (never overwritten).</summary>
internal static class L1ProductFiles
{
    /// <summary>Removes the temporary file of the product at <paramref name="finalPath"/>, if one was left.</summary>
    public static void RemoveTemporary(string finalPath) => File.Delete(L1FileNaming.TemporaryPath(finalPath));

    /// <summary>Moves the product at <paramref name="finalPath"/>, if there is one, to the lowest free versioned name.</summary>
    public static void SetAside(string finalPath)
    {
        if (File.Exists(finalPath))
        {
            File.Move(finalPath, L1FileNaming.VersionedPath(finalPath));
        }
    }
}

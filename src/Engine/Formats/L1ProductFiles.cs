namespace Scanflow.Engine.Formats;

/// <summary>Every move of a product file: a finished temporary file synced and published under its final name, an
/// abandoned or dead run's temporary file removed, and a product that a newer one supersedes set aside under a
/// versioned name (never overwritten).</summary>
internal static class L1ProductFiles
{
    /// <summary>Syncs the temporary file of the product at <paramref name="finalPath"/> to disk and renames it into
    /// place, so the final name never shows a torn file; fails when a product already has that name.</summary>
    public static void Publish(string finalPath)
    {
        var temporary = L1FileNaming.TemporaryPath(finalPath);
        using (var stream = new FileStream(temporary, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
        {
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, finalPath, overwrite: false);
    }

    /// <summary>Empties the temporary file of the product at <paramref name="finalPath"/> while HDF5 still has it open, so
    /// its space is free even when HDF5 cannot close it cleanly (on a full disk, closing flushes, and a failed close keeps
    /// the file open). Best effort: the file is removed next anyway.</summary>
    public static void Truncate(string finalPath)
    {
        try
        {
            // Write access without FileShare.None takes no lock, so HDF5's own lock on the file does not stand in the way.
            using var handle = File.OpenHandle(L1FileNaming.TemporaryPath(finalPath), FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
            RandomAccess.SetLength(handle, 0);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Removed below all the same.
        }
    }

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

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

    /// <summary>
    /// Moves the product at <paramref name="finalPath"/>, if there is one, and its QA files (<see cref="L1FileNaming.Sidecars"/>)
    /// to the lowest version free for all of them: <c>scan_000004_LFA.l1.h5</c> and <c>scan_000004_LFA.qa.json</c> become
    /// <c>scan_000004_LFA.v1.l1.h5</c> and <c>scan_000004_LFA.v1.qa.json</c>, so a superseded product keeps its QA. QA files
    /// without their L1 file are moved too (the L1 file of that version is gone, its QA is not the next product's).
    /// Returns each move, the L1 file's first, for the ledger to follow.
    /// </summary>
    public static IReadOnlyList<(string From, string To)> SetAside(string finalPath)
    {
        var sidecars = L1FileNaming.Sidecars(finalPath).Select(s => s.Path).ToList();
        var hasProduct = File.Exists(finalPath);
        if (!hasProduct && sidecars.Count == 0)
        {
            return [];
        }

        var versioned = L1FileNaming.VersionedPath(finalPath, sidecars);
        var moves = new List<(string From, string To)>();
        if (hasProduct)
        {
            moves.Add((finalPath, versioned));
        }

        moves.AddRange(sidecars.Select(s => (s, L1FileNaming.VersionedSidecarPath(s, finalPath, versioned))));
        foreach (var (from, to) in moves)
        {
            File.Move(from, to, overwrite: false);
        }

        return moves;
    }
}

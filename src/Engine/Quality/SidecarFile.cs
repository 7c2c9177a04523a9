using System.Security.Cryptography;
using Scanflow.Engine.Formats;
using Scanflow.Engine.Ledger;

namespace Scanflow.Engine.Quality;

/// <summary>The files written beside a scan's L1 product (QA metrics, plots): named after it, written to a temporary
/// name, synced and renamed into place before the L1 file itself, so a published L1 file always has its sidecars.</summary>
internal static class SidecarFile
{
    /// <summary><c>scan_000004_LFA.qa.json</c> beside <c>scan_000004_LFA.l1.h5</c>: <paramref name="l1Path"/> with its
    /// <c>.l1.h5</c> replaced by <paramref name="suffix"/>.</summary>
    public static string PathFor(string l1Path, string suffix) => L1FileNaming.Stem(l1Path) + suffix;

    /// <summary>Writes <paramref name="content"/> as <see cref="Write"/> does and returns it as a product of
    /// <paramref name="type"/>, its SHA-256 taken from memory.</summary>
    public static ProductFile Publish(string path, string type, byte[] content)
    {
        Write(path, content);
        return new ProductFile(type, path, content.Length, Convert.ToHexStringLower(SHA256.HashData(content)));
    }

    /// <summary>Writes <paramref name="content"/> to a temporary name, syncs it and renames it to <paramref name="path"/>
    /// (replacing a leftover of an interrupted attempt); on a failure the temporary file is removed (best effort) and the
    /// failure rethrown.</summary>
    public static void Write(string path, byte[] content)
    {
        var temporary = L1FileNaming.TemporaryPath(path);
        try
        {
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            Remove(temporary);
            throw;
        }
    }

    /// <summary>Removes sidecars whose L1 file was not published (best effort: a leftover is replaced next time).</summary>
    public static void Remove(IEnumerable<ProductFile> sidecars)
    {
        foreach (var sidecar in sidecars)
        {
            Remove(sidecar.Path);
        }
    }

    /// <summary>Removes one file beside an L1 file (best effort, as above).</summary>
    public static void Remove(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Nothing to remove, or a directory that cannot be written: replaced by the scan's next attempt.
        }
    }
}

using Scanflow.Engine.Formats;
using Scanflow.Engine.Ledger;

namespace Scanflow.Engine.Quality;

/// <summary>The files written beside a scan's L1 product (QA metrics, plots): named after it, written to a temporary
/// name, synced and renamed into place before the L1 file itself, so a published L1 file always has its sidecars.</summary>
internal static class SidecarFile
{
    /// <summary><c>scan_000004_LFA.qa.json</c> beside <c>scan_000004_LFA.l1.h5</c>: <paramref name="l1Path"/> with its
    /// <c>.l1.h5</c> replaced by <paramref name="suffix"/>.</summary>
    public static string PathFor(string l1Path, string suffix) =>
        l1Path.EndsWith(".l1.h5", StringComparison.Ordinal) ? l1Path[..^".l1.h5".Length] + suffix : l1Path + suffix;

    /// <summary>Writes <paramref name="path"/> through <paramref name="write"/> (given the temporary path), syncs it,
    /// renames it into place (replacing a leftover of an interrupted attempt) and returns it as a product.</summary>
    public static ProductFile Publish(string path, string type, Action<string> write)
    {
        var temporary = L1FileNaming.TemporaryPath(path);
        try
        {
            write(temporary);
            using (var stream = new FileStream(temporary, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
            {
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }

        return new ProductFile(type, path, new FileInfo(path).Length, FileChecksum.Sha256(path));
    }

    /// <summary>Removes sidecars whose L1 file was not published (best effort: a leftover is replaced next time).</summary>
    public static void Remove(IEnumerable<ProductFile> sidecars)
    {
        foreach (var sidecar in sidecars)
        {
            try
            {
                File.Delete(sidecar.Path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Replaced by the scan's next attempt.
            }
        }
    }
}

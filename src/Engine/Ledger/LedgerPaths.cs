namespace Scanflow.Engine.Ledger;

/// <summary>
/// How the ledger spells a product's path: relative to the ledger's own directory when the product is beneath it
/// (the default layout, the ledger in the output directory), absolute otherwise. So an output directory moved
/// together with its ledger still finds, verifies and skips its products. Input paths are stored absolute.
/// </summary>
internal sealed class LedgerPaths
{
    private readonly string _root;

    public LedgerPaths(string ledgerPath) =>
        _root = Path.TrimEndingDirectorySeparator(Path.GetDirectoryName(Path.GetFullPath(ledgerPath))!) + Path.DirectorySeparatorChar;

    /// <summary>The ledger's directory with a trailing separator: what a stored relative path is relative to.</summary>
    public string Root => _root;

    /// <summary>The stored form of the product path <paramref name="path"/>.</summary>
    public string Stored(string path)
    {
        var full = Path.GetFullPath(path);
        return full.StartsWith(_root, StringComparison.Ordinal) ? full[_root.Length..] : full;
    }

    /// <summary>The full path of a stored product path (rows written before v4 hold absolute paths).</summary>
    public string Full(string stored) => Path.IsPathRooted(stored) ? stored : Path.Join(_root, stored);

    /// <summary><paramref name="scan"/> with its paths as the ledger records them: the product per <see cref="Stored(string)"/>,
    /// the input absolute (so <c>show</c> names the file wherever the run was started from).</summary>
    public T Stored<T>(T scan)
        where T : LedgerScan => (T)(scan with { L1Path = Stored(scan.L1Path), InputPath = Input(scan.InputPath) });

    /// <summary>An input path as recorded and looked up: absolute.</summary>
    public static string Input(string path) => Path.GetFullPath(path);
}

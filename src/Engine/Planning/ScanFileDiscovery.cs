namespace Scanflow.Engine.Planning;

/// <summary>Turns the planner's inputs into the scan files to read, in a deterministic order: inputs as given,
/// each directory walked recursively in ordinal name order. Directories contribute only <c>*.h5</c>/<c>*.hdf5</c>;
/// files named directly are taken whatever their extension.</summary>
internal sealed class ScanFileDiscovery
{
    private static readonly string[] ScanExtensions = [".h5", ".hdf5"];

    private readonly List<string> _files = [];
    private readonly HashSet<string> _seenFiles = new(StringComparer.Ordinal);
    private readonly HashSet<string> _seenDirectories = new(StringComparer.Ordinal);
    private readonly List<ExcludedScan> _failures = [];
    private readonly Func<string, DirectoryListing> _list;

    private ScanFileDiscovery(Func<string, DirectoryListing> list)
    {
        _list = list;
    }

    public IReadOnlyList<string> Files => _files;

    /// <summary>Directories that could not be listed, as failures.</summary>
    public IReadOnlyList<ExcludedScan> Failures => _failures;

    /// <summary>Files under the directories that are not scans (wrong extension, or still being written: <c>.part</c>, <c>.tmp</c>).</summary>
    public int IgnoredFiles { get; private set; }

    /// <summary>Checks every input exists before walking any; a missing one is an <see cref="ArgumentException"/> naming it.
    /// <paramref name="list"/> replaces the file system's directory listing, so tests can inject a failure.</summary>
    public static ScanFileDiscovery Run(IReadOnlyList<string> inputs, Func<string, DirectoryListing>? list = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count == 0)
        {
            throw new ArgumentException("no input given; name one or more scan files or directories", nameof(inputs));
        }

        foreach (var input in inputs)
        {
            if (string.IsNullOrWhiteSpace(input) || (!Directory.Exists(input) && !File.Exists(input)))
            {
                throw new ArgumentException($"input '{input}' does not exist; expected a scan file or a directory of scans", nameof(inputs));
            }
        }

        var discovery = new ScanFileDiscovery(list ?? DirectoryListing.Read);
        foreach (var input in inputs)
        {
            if (Directory.Exists(input))
            {
                discovery.Walk(input);
            }
            else
            {
                discovery.Add(input);
            }
        }

        return discovery;
    }

    private static bool IsScanFile(string path) =>
        ScanExtensions.Any(e => path.EndsWith(e, StringComparison.OrdinalIgnoreCase));

    private void Add(string path)
    {
        // The same file reached twice (a file and its directory, overlapping directories) is one scan, not a duplicate.
        if (_seenFiles.Add(Path.GetFullPath(path)))
        {
            _files.Add(path);
        }
    }

    /// <summary>Walks <paramref name="root"/> depth-first. Each directory is walked once under its real path (links
    /// resolved), so a symbolic link back to a directory above, or to one walked already, adds nothing; a link to a
    /// directory elsewhere is followed.</summary>
    private void Walk(string root)
    {
        var pending = new Stack<(string Directory, string? Real)>();
        pending.Push((root, null));
        while (pending.TryPop(out var entry))
        {
            var (directory, real) = entry;
            real ??= Resolve(directory);
            if (!_seenDirectories.Add(real))
            {
                continue; // a symbolic link back to a directory already walked
            }

            string[] files, subdirectories;
            try
            {
                (files, subdirectories) = _list(directory);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _failures.Add(new ExcludedScan(directory, null, ExclusionKind.Failed, $"directory cannot be listed: {e.Message}"));
                continue;
            }

            Array.Sort(files, StringComparer.Ordinal);
            foreach (var file in files)
            {
                if (IsScanFile(file))
                {
                    Add(file);
                }
                else
                {
                    IgnoredFiles++;
                }
            }

            // Pushed in reverse so they are popped, and walked depth-first, in ordinal order. A subdirectory that is
            // no link is its parent's real path plus its name: only links need resolving.
            Array.Sort(subdirectories, StringComparer.Ordinal);
            for (var i = subdirectories.Length - 1; i >= 0; i--)
            {
                var subdirectory = subdirectories[i];
                pending.Push((subdirectory, IsLink(subdirectory) ? null : Path.Join(real, Path.GetFileName(subdirectory))));
            }
        }
    }

    private static bool IsLink(string directory)
    {
        try
        {
            return new DirectoryInfo(directory).LinkTarget is not null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return true; // resolved (or given up on) in full
        }
    }

    private static string Resolve(string directory)
    {
        try
        {
            return RealPath.Of(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Path.GetFullPath(directory); // a loop of links: listing it fails with the reason
        }
    }
}

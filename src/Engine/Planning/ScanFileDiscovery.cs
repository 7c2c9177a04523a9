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

    private void Walk(string root)
    {
        var pending = new Stack<string>();
        pending.Push(root);
        while (pending.TryPop(out var directory))
        {
            if (!_seenDirectories.Add(RealPath(directory)))
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
                _failures.Add(new ExcludedScan(directory, null, ExclusionKind.Failed, $"{directory}: directory cannot be listed: {e.Message}"));
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

            // Pushed in reverse so they are popped, and walked depth-first, in ordinal order.
            Array.Sort(subdirectories, StringComparer.Ordinal);
            for (var i = subdirectories.Length - 1; i >= 0; i--)
            {
                pending.Push(subdirectories[i]);
            }
        }
    }

    private static string RealPath(string directory)
    {
        var full = Path.GetFullPath(directory);
        try
        {
            var target = new DirectoryInfo(full).ResolveLinkTarget(returnFinalTarget: true);
            return target is null ? full : Path.GetFullPath(target.FullName);
        }
        catch (IOException)
        {
            return full;
        }
    }
}

namespace Scanflow.Engine.Planning;

/// <summary>A path with every symbolic link in it resolved, component by component, as <c>realpath(3)</c> does: the one
/// name a directory has however it is reached, so a walk can tell a link back to a directory it is already in.
/// <see cref="FileSystemInfo.ResolveLinkTarget"/> resolves only the last component and would miss a link above it.</summary>
internal static class RealPath
{
    /// <summary>Links followed before giving up, as Linux does (<c>ELOOP</c>).</summary>
    private const int MaxLinks = 40;

    private static readonly char[] Separators = [Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar];

    /// <summary>Resolves <paramref name="path"/>; an <see cref="IOException"/> for a loop of links. Components that do not
    /// exist are kept as written.</summary>
    public static string Of(string path)
    {
        // Not GetFullPath: it would fold "a/link/.." to "a" before the link is looked at.
        var full = Path.IsPathFullyQualified(path) ? path : Path.Combine(Directory.GetCurrentDirectory(), path);
        var resolved = Path.GetPathRoot(full)!;
        var pending = new Stack<string>();
        Push(pending, full[resolved.Length..]);
        var links = 0;
        while (pending.TryPop(out var name))
        {
            if (name is "" or ".")
            {
                continue;
            }

            if (name == "..")
            {
                resolved = Path.GetDirectoryName(resolved) ?? resolved; // ".." of the root is the root
                continue;
            }

            var next = Path.Join(resolved, name);
            if (new FileInfo(next).LinkTarget is not { } target)
            {
                resolved = next;
                continue;
            }

            if (++links > MaxLinks)
            {
                throw new IOException($"{path}: too many levels of symbolic links");
            }

            // A relative target continues from the directory holding the link; an absolute one from its root.
            if (Path.IsPathRooted(target))
            {
                resolved = Path.GetPathRoot(target)!;
                target = target[resolved.Length..];
            }

            Push(pending, target);
        }

        return resolved;
    }

    /// <summary>Pushes the components of <paramref name="relative"/> so that the first is popped first.</summary>
    private static void Push(Stack<string> pending, string relative)
    {
        var names = relative.Split(Separators);
        for (var i = names.Length - 1; i >= 0; i--)
        {
            pending.Push(names[i]);
        }
    }
}

namespace Scanflow.Engine.Formats;

/// <summary>What a path names on disk, as <c>stat</c> reports it (symbolic links followed). Only a
/// <see cref="Regular"/> file is ever opened: opening a FIFO blocks until a writer comes, and a socket or a device is
/// no scan.</summary>
internal enum FileNodeKind
{
    /// <summary>Nothing at the path (or a symbolic link to nothing).</summary>
    Missing,

    /// <summary>A regular file.</summary>
    Regular,

    /// <summary>A directory.</summary>
    Directory,

    /// <summary>A FIFO (named pipe).</summary>
    Fifo,

    /// <summary>A Unix domain socket.</summary>
    Socket,

    /// <summary>A character device node.</summary>
    CharacterDevice,

    /// <summary>A block device node.</summary>
    BlockDevice,

    /// <summary>The kind could not be found (permission denied on the way, a loop of links, no <c>statx</c>): opening
    /// it fails or succeeds on its own, without blocking.</summary>
    Unknown,
}

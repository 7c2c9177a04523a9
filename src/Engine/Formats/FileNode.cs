using System.Runtime.InteropServices;

namespace Scanflow.Engine.Formats;

/// <summary>Tells a regular file from a FIFO, a socket or a device node without opening it. .NET reports all of them
/// alike (attributes <c>Normal</c>, length 0), so on Linux the kind comes from <c>statx(2)</c>, whose result layout is
/// the same on every architecture. Windows keeps no FIFOs or device nodes in its file systems.</summary>
internal static partial class FileNode
{
    private const int AtCurrentDirectory = -100;
    private const uint StatxType = 0x1;
    private const int StatxBufferBytes = 256;
    private const int StatxModeOffset = 28;
    private const int TypeMask = 0xF000;
    private const int NoSuchFile = 2;
    private const int NotADirectory = 20;

    /// <summary>What <paramref name="path"/> names, following symbolic links (as opening it would) but opening nothing.</summary>
    public static FileNodeKind KindOf(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!OperatingSystem.IsLinux())
        {
            return Directory.Exists(path) ? FileNodeKind.Directory : File.Exists(path) ? FileNodeKind.Regular : FileNodeKind.Missing;
        }

        int mode;
        try
        {
            mode = StatxMode(path);
        }
        catch (EntryPointNotFoundException)
        {
            return FileNodeKind.Unknown; // a C library without statx (glibc < 2.28)
        }

        if (mode < 0)
        {
            return -mode is NoSuchFile or NotADirectory ? FileNodeKind.Missing : FileNodeKind.Unknown;
        }

        return (mode & TypeMask) switch
        {
            0x8000 => FileNodeKind.Regular,
            0x4000 => FileNodeKind.Directory,
            0x1000 => FileNodeKind.Fifo,
            0xC000 => FileNodeKind.Socket,
            0x2000 => FileNodeKind.CharacterDevice,
            0x6000 => FileNodeKind.BlockDevice,
            _ => FileNodeKind.Unknown,
        };
    }

    /// <summary>Why <paramref name="path"/> is not read ("is a FIFO (named pipe), not a regular file"), or null when it
    /// may be opened: a regular file, or one whose kind is unknown or missing (opening then fails with its own reason).</summary>
    public static string? NotRegular(string path) => KindOf(path) switch
    {
        FileNodeKind.Fifo => "is a FIFO (named pipe), not a regular file",
        FileNodeKind.Socket => "is a socket, not a regular file",
        FileNodeKind.CharacterDevice => "is a character device, not a regular file",
        FileNodeKind.BlockDevice => "is a block device, not a regular file",
        FileNodeKind.Directory => "is a directory, not a regular file",
        _ => null,
    };

    /// <summary>The <c>st_mode</c> of <paramref name="path"/>, or minus the errno when <c>statx</c> fails.</summary>
    private static unsafe int StatxMode(string path)
    {
        var buffer = stackalloc byte[StatxBufferBytes];
        if (Statx(AtCurrentDirectory, path, flags: 0, StatxType, buffer) != 0)
        {
            return -Marshal.GetLastPInvokeError();
        }

        return *(ushort*)(buffer + StatxModeOffset);
    }

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int Statx(int directory, string path, int flags, uint mask, byte* buffer);
}

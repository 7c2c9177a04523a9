using System.Diagnostics;
using System.Net.Sockets;

namespace Scanflow.Engine.Tests;

/// <summary>Files that are not regular files, made where scans are expected: a FIFO, a Unix socket and a character
/// device node (with /dev/null's numbers; making it needs root, as the tests and CI run). The socket is held open
/// until disposed: closing it removes its file.</summary>
internal sealed class SpecialFiles : IDisposable
{
    private readonly Socket _socket;

    /// <summary>Makes <c>{prefix}_fifo.h5</c>, <c>{prefix}_socket.h5</c> and <c>{prefix}_device.h5</c> in <paramref name="directory"/>.</summary>
    public SpecialFiles(string directory, string prefix)
    {
        Fifo = Path.Combine(directory, prefix + "_fifo.h5");
        Socket = Path.Combine(directory, prefix + "_socket.h5");
        Device = Path.Combine(directory, prefix + "_device.h5");
        MakeFifo(Fifo);
        _socket = MakeSocket(Socket);
        MakeCharacterDevice(Device);
    }

    public string Fifo { get; }

    public string Socket { get; }

    public string Device { get; }

    /// <summary>The three paths, in ordinal order (as a directory walk meets them).</summary>
    public string[] Paths => [.. new[] { Fifo, Socket, Device }.Order(StringComparer.Ordinal)];

    public static void MakeFifo(string path) => Run("mkfifo", path);

    /// <summary>A socket bound to <paramref name="path"/>; its file goes when it is disposed.</summary>
    public static Socket MakeSocket(string path)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));
        return socket;
    }

    public static void MakeCharacterDevice(string path) => Run("mknod", path, "c", "1", "3");

    public void Dispose() => _socket.Dispose();

    private static void Run(string tool, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(tool, args) { RedirectStandardError = true })!;
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{tool} {string.Join(' ', args)}: {errors}");
    }
}

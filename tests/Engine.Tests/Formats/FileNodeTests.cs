using Scanflow.Engine.Formats;
using Scanflow.Engine.Simulation;

namespace Scanflow.Engine.Tests.Formats;

public sealed class FileNodeTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void KindOf_tells_each_kind_of_file_apart_without_opening_it_Issue10()
    {
        var regular = _temp.Combine("regular.h5");
        File.WriteAllText(regular, "x");
        var fifo = _temp.Combine("fifo.h5");
        SpecialFiles.MakeFifo(fifo);
        var socket = _temp.Combine("socket.h5");
        using var bound = SpecialFiles.MakeSocket(socket);
        var device = _temp.Combine("device.h5");
        SpecialFiles.MakeCharacterDevice(device);
        var linkToFifo = _temp.Combine("link_to_fifo.h5");
        File.CreateSymbolicLink(linkToFifo, fifo);
        var linkToRegular = _temp.Combine("link_to_regular.h5");
        File.CreateSymbolicLink(linkToRegular, regular);
        var dangling = _temp.Combine("dangling.h5");
        File.CreateSymbolicLink(dangling, _temp.Combine("gone.h5"));

        Assert.Equal(FileNodeKind.Regular, FileNode.KindOf(regular));
        Assert.Equal(FileNodeKind.Directory, FileNode.KindOf(_temp.Path));
        Assert.Equal(FileNodeKind.Fifo, FileNode.KindOf(fifo));
        Assert.Equal(FileNodeKind.Socket, FileNode.KindOf(socket));
        Assert.Equal(FileNodeKind.CharacterDevice, FileNode.KindOf(device));
        Assert.Equal(FileNodeKind.Fifo, FileNode.KindOf(linkToFifo));
        Assert.Equal(FileNodeKind.Regular, FileNode.KindOf(linkToRegular));
        Assert.Equal(FileNodeKind.Missing, FileNode.KindOf(dangling));
        Assert.Equal(FileNodeKind.Missing, FileNode.KindOf(_temp.Combine("gone.h5")));
        Assert.Equal(FileNodeKind.Missing, FileNode.KindOf(_temp.Combine("regular.h5", "below")));
    }

    [Fact]
    public void Opening_a_FIFO_socket_or_device_as_a_scan_fails_with_the_reason_and_opens_nothing_Issue10()
    {
        using var special = new SpecialFiles(_temp.Path, "scan");
        string[] paths = [special.Fifo, special.Socket, special.Device];

        // A FIFO opened for reading would block here for good: no writer ever comes.
        var errors = paths.Select(p => Assert.Throws<ScanFormatException>(() => RawScanFile.ReadHeader(p))).ToList();

        Assert.All(errors, e => Assert.Equal(ScanFormatProblem.Unreadable, e.Problem));
        Assert.Equal(
            [
                "is a FIFO (named pipe), not a regular file; only regular files are read as scans",
                "is a socket, not a regular file; only regular files are read as scans",
                "is a character device, not a regular file; only regular files are read as scans",
            ],
            errors.Select(e => e.Reason));
        Assert.Equal($"{paths[0]}: /: is a FIFO (named pipe), not a regular file; only regular files are read as scans", errors[0].Message);
        Assert.Throws<IOException>(() => FileChecksum.Sha256(paths[0]));
    }

    [Fact]
    public void A_symbolic_link_to_a_regular_scan_is_still_read()
    {
        ScanSimulator.Run(new SimulationOptions { OutputDirectory = _temp.Combine("store"), Scans = 1, Pixels = 2, Channels = 32, Noise = false });
        var scan = Directory.GetFiles(_temp.Combine("store"), "*_tp.h5").Single();
        var link = _temp.Combine("link.h5");
        File.CreateSymbolicLink(link, scan);

        Assert.Equal(RawScanFile.ReadHeader(scan).ScanId, RawScanFile.ReadHeader(link).ScanId);
    }
}

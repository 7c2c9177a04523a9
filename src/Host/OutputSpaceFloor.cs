using Scanflow.Engine.Formats;

namespace Scanflow.Host;

/// <summary>
/// The free space the service keeps on its output disk: intake pauses below it, so a full disk is met between scans
/// rather than in the middle of one (and the ledger beside the products can still be written). Configured
/// (<c>Scanflow:MinFreeSpaceMb</c>), or by default <see cref="ProductsAbove"/> times the largest product seen (a scan's
/// L1 file with its QA files and plots), never less than <see cref="AutomaticMinimumBytes"/>.
/// </summary>
internal sealed class OutputSpaceFloor(long? configuredBytes, long largestProductBytes)
{
    /// <summary>The automatic floor, in products: room for the scans in flight to finish, with some to spare.</summary>
    public const int ProductsAbove = 3;

    /// <summary>The automatic floor is never lower than this (256 MiB): small products must not run a disk to its last block.</summary>
    public const long AutomaticMinimumBytes = 256L << 20;

    private long _largestProductBytes = largestProductBytes;

    public long Bytes => configuredBytes ?? Math.Max(AutomaticMinimumBytes, ProductsAbove * Interlocked.Read(ref _largestProductBytes));

    /// <summary>A product was written (<paramref name="bytes"/>: its L1 file, QA files and plots): the automatic floor follows the largest.</summary>
    public void ProductWritten(long bytes)
    {
        var largest = Interlocked.Read(ref _largestProductBytes);
        while (bytes > largest && Interlocked.CompareExchange(ref _largestProductBytes, bytes, largest) is var seen && seen != largest)
        {
            largest = seen;
        }
    }

    /// <summary>Why intake must pause now (free space below the floor), or null; unknown free space never pauses.</summary>
    public string? Shortfall(string output, long? freeBytes) => freeBytes < Bytes
        ? $"output disk low ({OutputDisk.Megabytes(freeBytes)} free on {OutputDisk.MountPoint(output)}, below the floor of {OutputDisk.Megabytes(Bytes)}, {SettingNames.MinFreeSpace.Path})"
        : null;
}

using System.Buffers;
using System.Security.Cryptography;

namespace Scanflow.Engine.Formats;

/// <summary>The checksum users compare: SHA-256 of the whole file, lower-case hex.</summary>
internal static class FileChecksum
{
    private const int BlockBytes = 1 << 20;

    /// <summary>Hashes <paramref name="path"/>; an <see cref="IOException"/> when it is not a regular file, which is never
    /// opened (a FIFO would block the caller until some writer came).</summary>
    public static string Sha256(string path)
    {
        if (FileNode.NotRegular(path) is { } notRegular)
        {
            throw new IOException($"{path} {notRegular}");
        }

        // Large reads from a pooled buffer: a 1 MiB FileStream buffer per call would be a large-object allocation per
        // file, and a service hashing several files a second then runs a full garbage collection every few hundred ms.
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(BlockBytes);
        try
        {
            int read;
            while ((read = stream.Read(buffer, 0, BlockBytes)) > 0)
            {
                hash.AppendData(buffer, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}

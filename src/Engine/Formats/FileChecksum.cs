using System.Security.Cryptography;

namespace Scanflow.Engine.Formats;

/// <summary>The checksum users compare: SHA-256 of the whole file, lower-case hex.</summary>
public static class FileChecksum
{
    public static string Sha256(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}

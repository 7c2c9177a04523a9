using System.Text;
using System.Text.Json;

namespace Scanflow.Blocks;

/// <summary>A shard's results: <c>results-&lt;shard&gt;.jsonl</c> beside the plan, one <see cref="SlurmScanResult"/> per
/// line, appended by the shard's array task as each scan ends and read by the coordinator while the task runs. A line is
/// synced before <see cref="Append"/> returns, so a complete line is a durable one; a line without its newline is one
/// being written (or torn by a dead task) and is not a result yet.</summary>
internal static class SlurmResultFile
{
    /// <summary>The result file of <paramref name="shard"/> of the plan at <paramref name="planPath"/>.</summary>
    public static string PathFor(string planPath, int shard) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(planPath))!, $"results-{shard}.jsonl");

    /// <summary>Appends <paramref name="result"/> as one line and syncs it to disk. A torn last line left by a task that
    /// died mid-write is cut off first, so it cannot run into this line.</summary>
    public static void Append(string path, SlurmScanResult result)
    {
        var line = JsonSerializer.SerializeToUtf8Bytes(result, SlurmJson.Line);
        using var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        stream.SetLength(CompleteLength(stream));
        stream.Seek(0, SeekOrigin.End);
        // One write of the whole line: a reader sees it complete or without its newline.
        var bytes = new byte[line.Length + 1];
        line.CopyTo(bytes, 0);
        bytes[^1] = (byte)'\n';
        stream.Write(bytes);
        stream.Flush(flushToDisk: true);
    }

    /// <summary>Every complete line of the file that is a result, in order; none when it does not exist. A complete line
    /// that is not a result (a page of NULs after a node's crash, say) is skipped, and named in <paramref name="damaged"/>
    /// with the file and line: the results around it still count.</summary>
    public static IReadOnlyList<SlurmScanResult> Read(string path, ICollection<string>? damaged = null)
    {
        byte[] bytes;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            bytes = memory.ToArray();
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return [];
        }

        var results = new List<SlurmScanResult>();
        var start = 0;
        for (var number = 1; Array.IndexOf(bytes, (byte)'\n', start) is var end and >= 0; number++)
        {
            var line = bytes.AsSpan(start, end - start);
            start = end + 1;
            try
            {
                results.Add(JsonSerializer.Deserialize<SlurmScanResult>(line, SlurmJson.Line)
                    ?? throw new JsonException("null"));
            }
            catch (JsonException e)
            {
                damaged?.Add($"{path}, line {number}: not a scan result ({e.Message})");
            }
        }

        return results;
    }

    /// <summary>The length of the file up to and including its last newline.</summary>
    private static long CompleteLength(FileStream stream)
    {
        var buffer = new byte[4096];
        for (var end = stream.Length; end > 0;)
        {
            var start = Math.Max(0, end - buffer.Length);
            stream.Seek(start, SeekOrigin.Begin);
            stream.ReadExactly(buffer, 0, (int)(end - start));
            var newline = Array.LastIndexOf(buffer, (byte)'\n', (int)(end - start) - 1);
            if (newline >= 0)
            {
                return start + newline + 1;
            }

            end = start;
        }

        return 0;
    }
}

namespace Scanflow.Perf;

/// <summary>The baseline of the end-to-end benchmark: a plain copy of every raw file, with the L1 writer's durability
/// (write under a temporary name, fsync, rename), one file after another, through unbuffered FileStreams.</summary>
internal static class DurableStoreCopy
{
    /// <summary>Same size as the graph's default chunk, so both move the bytes in the same blocks.</summary>
    private const int BlockBytes = 16 << 20;

    public static long Run(IReadOnlyList<string> files, string outputDirectory)
    {
        var block = GC.AllocateUninitializedArray<byte>(BlockBytes, pinned: true);
        long total = 0;
        foreach (var file in files)
        {
            var target = Path.Combine(outputDirectory, Path.GetFileName(file));
            var temporary = target + ".part";
            using (var source = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0))
            using (var sink = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0))
            {
                int read;
                while ((read = source.Read(block)) > 0)
                {
                    sink.Write(block, 0, read);
                    total += read;
                }

                sink.Flush(flushToDisk: true);
            }

            File.Move(temporary, target, overwrite: false);
        }

        return total;
    }
}

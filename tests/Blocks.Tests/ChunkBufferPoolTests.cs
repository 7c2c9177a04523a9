namespace Scanflow.Blocks.Tests;

/// <summary>Issue 11: chunk memory is bounded by the memory limit, whatever the stage capacities.</summary>
public class ChunkBufferPoolTests
{
    [Fact]
    public async Task A_rent_beyond_the_bound_waits_for_a_buffer_to_come_back_and_gets_that_buffer_11()
    {
        using var pool = new ChunkBufferPool(2);
        var first = await pool.RentAsync(1024, CancellationToken.None);
        var second = await pool.RentAsync(1024, CancellationToken.None);

        var third = pool.RentAsync(1024, CancellationToken.None);
        Assert.False(third.IsCompleted);

        pool.Return(first);
        Assert.Same(first, await third);
        Assert.NotSame(first, second);
    }

    [Theory]
    [InlineData(1024, 16, 16)]   // 256 MiB of 16 MiB chunks; the capacities (2 + 2 + 4 + 8) + 2 would allow 18
    [InlineData(256, 16, 4)]
    [InlineData(128, 64, 2)]     // never fewer than two: one being read, one being written
    [InlineData(65536, 16, 18)]  // never more than the stage capacities can hold
    public void The_memory_limit_sets_how_many_chunk_buffers_exist_11(int limitMiB, int chunkMiB, int buffers)
    {
        var options = new PipelineOptions { OutputDirectory = "", MemoryLimitBytes = (long)limitMiB << 20, ChunkBytes = (long)chunkMiB << 20 };

        Assert.Equal(buffers, options.ChunkBuffers);
    }
}

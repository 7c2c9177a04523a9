using System.Collections.Concurrent;
using Scanflow.Engine.Ledger;

namespace Scanflow.Engine.Tests.Ledger;

public sealed class LedgerConcurrencyTests : IDisposable
{
    private readonly LedgerFixture _ledger = new();

    public void Dispose() => _ledger.Dispose();

    [Fact]
    public void Two_writers_on_one_file_claim_each_of_200_scans_exactly_once()
    {
        // Two writers = two connections, as two processes would have; the same host and pid, so each sees the other alive.
        using var first = _ledger.OpenWriter();
        using var second = _ledger.OpenWriter();
        var claimedBy = new ConcurrentDictionary<long, ConcurrentBag<string>>();
        using var start = new Barrier(2);

        void Work(LedgerWriter writer)
        {
            start.SignalAndWait();
            for (long id = 1; id <= 200; id++)
            {
                var result = writer.Claim(LedgerFixture.Claim(id));
                if (result.Outcome == ClaimOutcome.Claimed)
                {
                    claimedBy.GetOrAdd(id, _ => []).Add(writer.RunId);
                    writer.Succeeded(result.RowId, result.Attempt, LedgerFixture.Claim(id).L1Path, $"l1-{id}", id, [], LedgerFixture.Durations);
                }
                else
                {
                    Assert.True(result.Outcome is ClaimOutcome.HeldByAnotherRun or ClaimOutcome.AlreadySucceeded, $"scan {id}: {result.Outcome}");
                }
            }
        }

        Parallel.Invoke(() => Work(first), () => Work(second));

        Assert.Equal(200, claimedBy.Count);
        Assert.All(claimedBy, pair => Assert.Single(pair.Value));
        using var reader = LedgerReader.Open(_ledger.Path);
        Assert.Equal(200, reader.Scans(ScanStatus.Succeeded).Count);
        Assert.Equal(200, reader.Attempts().Count(a => a.Status == ScanStatus.Succeeded));
        Assert.Equal("ok", _ledger.Scalar("PRAGMA integrity_check"));
    }

    [Fact]
    public void One_writer_is_safe_from_many_threads()
    {
        using var writer = _ledger.OpenWriter();

        Parallel.For(1, 101, id =>
        {
            var result = writer.Claim(LedgerFixture.Claim(id));
            writer.Failed(result.RowId, result.Attempt, "Load", "hiccup", FailureKind.Transient, LedgerFixture.Durations);
            writer.Heartbeat();
        });

        using var reader = LedgerReader.Open(_ledger.Path);
        Assert.Equal(100, reader.Scans(ScanStatus.Failed).Count);
        Assert.Equal("ok", _ledger.Scalar("PRAGMA integrity_check"));
    }
}

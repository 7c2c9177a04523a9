using System.Diagnostics;
using Scanflow.Engine.Ledger;

namespace Scanflow.Engine.Tests.Ledger;

public sealed class LedgerTornWriteTests : IDisposable
{
    // Another process commits big transactions to the ledger as fast as it can until it is killed.
    private const string Committer = """
        import sqlite3, sys
        db = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=FULL")
        i = 0
        while True:
            db.execute("BEGIN IMMEDIATE")
            for _ in range(200):
                i += 1
                db.execute("INSERT INTO runs (run_id, host, pid, process_start_utc, started_utc, heartbeat_utc, finished_utc) VALUES (?, 'h', 1, 'x', 'x', ?, 'x')",
                           ("torn-%d" % i, "x" * 2000))
            db.execute("COMMIT")
            if i == 200:
                print("committed", flush=True)
        """;

    private readonly LedgerFixture _ledger = new();

    public void Dispose() => _ledger.Dispose();

    [Fact]
    public void Ledger_opens_intact_after_a_writer_is_killed_mid_commit()
    {
        _ledger.OpenWriter().Dispose();
        var script = Path.Combine(Path.GetDirectoryName(_ledger.Path)!, "committer.py");
        File.WriteAllText(script, Committer);
        var start = new ProcessStartInfo(PythonScript.Interpreter) { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(_ledger.Path);

        using (var process = Process.Start(start)!)
        {
            Assert.Equal("committed", process.StandardOutput.ReadLine());
            Thread.Sleep(300); // many commits in flight; the kill lands in or between one
            process.Kill(); // SIGKILL: no rollback, no checkpoint
            process.WaitForExit();
        }

        using (var writer = _ledger.OpenWriter())
        {
            Assert.Equal(ClaimOutcome.Claimed, writer.Claim(LedgerFixture.Claim(1)).Outcome);
        }

        Assert.Equal("ok", _ledger.Scalar("PRAGMA integrity_check"));
        var torn = long.Parse(_ledger.Scalar("SELECT count(*) FROM runs WHERE run_id LIKE 'torn-%'"), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(torn >= 200 && torn % 200 == 0, $"{torn} rows: a transaction was torn");
    }
}

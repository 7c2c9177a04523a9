using Microsoft.Data.Sqlite;
using Scanflow.Engine.Ledger;

namespace Scanflow.Engine.Tests.Ledger;

/// <summary>A ledger file in a temp folder, a clock, and claims that differ only where a test says.</summary>
internal sealed class LedgerFixture : IDisposable
{
    public static readonly IReadOnlyDictionary<string, TimeSpan> Durations = new Dictionary<string, TimeSpan>
    {
        ["Load"] = TimeSpan.FromSeconds(1.5),
        ["Calibrate"] = TimeSpan.FromSeconds(0.25),
    };

    private readonly TempDirectory _directory = new();

    public string Path => _directory.Combine(LedgerWriter.DefaultFileName);

    public ManualTime Time { get; } = new();

    public LedgerWriter OpenWriter(LedgerOptions? options = null) => LedgerWriter.Open(Path, options ?? new LedgerOptions(), Time);

    public static ScanClaim Claim(long scanId, string band = "K", string inputSha = "in-1", string config = "cfg-1", string engine = "1.0.0", string calibrationSha = "cal-1") => new(
        scanId,
        band,
        "W3OH",
        "OTF",
        60000.0 + scanId,
        $"/raw/scan_{scanId:D6}.h5",
        inputSha,
        1000 + scanId,
        [scanId - 1],
        [calibrationSha],
        config,
        engine,
        $"/out/scan_{scanId:D6}_{band}.l1.h5");

    /// <summary>A plain read-write connection for checks the reader does not offer (integrity, raw rows).</summary>
    public string Scalar(string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) ?? "";
    }

    public void Dispose() => _directory.Dispose();
}

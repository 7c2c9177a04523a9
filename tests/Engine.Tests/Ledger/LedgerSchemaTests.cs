using Scanflow.Engine.Ledger;

namespace Scanflow.Engine.Tests.Ledger;

public sealed class LedgerSchemaTests : IDisposable
{
    private readonly LedgerFixture _ledger = new();

    public void Dispose() => _ledger.Dispose();

    [Fact]
    public void Open_migrates_an_empty_file_to_the_current_schema_in_WAL_mode()
    {
        File.WriteAllBytes(_ledger.Path, []);

        using (var writer = _ledger.OpenWriter())
        {
            writer.Claim(LedgerFixture.Claim(1));
        }

        Assert.Equal(LedgerSchema.CurrentVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), _ledger.Scalar("SELECT max(version) FROM schema_version"));
        Assert.Equal("wal", _ledger.Scalar("PRAGMA journal_mode"));
        Assert.Equal("1", _ledger.Scalar("SELECT count(*) FROM scans"));
        Assert.Equal("ok", _ledger.Scalar("PRAGMA integrity_check"));
    }

    [Fact]
    public void Open_twice_applies_each_migration_once()
    {
        _ledger.OpenWriter().Dispose();
        _ledger.OpenWriter().Dispose();

        Assert.Equal(LedgerSchema.Migrations.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), _ledger.Scalar("SELECT count(*) FROM schema_version"));
        Assert.Equal("2", _ledger.Scalar("SELECT count(*) FROM runs WHERE finished_utc IS NOT NULL"));
    }

    [Fact]
    public void Open_refuses_a_ledger_from_a_newer_engine()
    {
        _ledger.OpenWriter().Dispose();
        _ledger.Scalar("INSERT INTO schema_version (version, applied_utc) VALUES (3, '2030-01-01T00:00:00.0000000Z')");

        var writerError = Assert.Throws<InvalidOperationException>(() => _ledger.OpenWriter());
        var readerError = Assert.Throws<InvalidOperationException>(() => LedgerReader.Open(_ledger.Path));

        Assert.Contains("ledger schema v3 is newer than this engine (v1); upgrade scanflow", writerError.Message, StringComparison.Ordinal);
        Assert.Contains("ledger schema v3 is newer than this engine (v1); upgrade scanflow", readerError.Message, StringComparison.Ordinal);
        Assert.Equal("1", _ledger.Scalar("SELECT count(*) FROM runs"));
    }

    [Fact]
    public void Reader_on_a_missing_ledger_names_the_path_and_the_default_location()
    {
        var error = Assert.Throws<FileNotFoundException>(() => LedgerReader.Open(_ledger.Path));

        Assert.Contains(_ledger.Path, error.Message, StringComparison.Ordinal);
        Assert.Contains(LedgerWriter.DefaultFileName, error.Message, StringComparison.Ordinal);
        Assert.Contains("output directory", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(_ledger.Path));
    }

    [Fact]
    public void Reader_refuses_a_database_that_is_not_a_ledger()
    {
        _ledger.Scalar("CREATE TABLE other (x INTEGER)");

        Assert.Throws<InvalidOperationException>(() => LedgerReader.Open(_ledger.Path));
    }
}

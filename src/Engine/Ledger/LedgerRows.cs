using Microsoft.Data.Sqlite;

namespace Scanflow.Engine.Ledger;

/// <summary>The column lists the reader selects and how each row becomes a record.</summary>
internal static class LedgerRows
{
    public const string ScanColumns =
        """
        row_id, scan_id, band, source, obs_mode, start_mjd, input_path, input_sha256, input_bytes, calibration_scan_ids, calibration_sha256,
        config_sha256, engine_version, status, attempts, stage, error, failure_kind, l1_path, l1_sha256, started_utc, finished_utc, updated_utc
        """;

    public const string AttemptColumns =
        """
        a.row_id, s.scan_id, s.band, a.attempt, a.run_id, a.status, a.stage, a.error, a.failure_kind, a.l1_path, a.l1_sha256,
        a.started_utc, a.finished_utc, a.stage_durations, a.engine_version, a.config_sha256, a.input_sha256,
        (SELECT j.job_id FROM slurm_submissions j WHERE j.submission = a.slurm_submission), a.slurm_task, a.slurm_node, a.slurm_elapsed_s,
        a.slurm_cpu_s, a.slurm_max_rss_bytes
        """;

    public const string ProductColumns = "p.row_id, p.attempt, p.type, p.path, p.bytes, p.sha256, p.recorded_utc";

    /// <summary>The products of the attempt that made a row's current product: the row SUCCEEDED, its L1 file is the one at
    /// its path (no other row's product replaced it), and the attempt is its last SUCCEEDED one (SKIPPED attempts produce
    /// nothing). Joins <c>products p</c> to <c>scans s</c>.</summary>
    public const string CurrentProductCondition =
        """
        s.status = 'SUCCEEDED' AND s.l1_current = 1
        AND p.attempt = (SELECT max(a.attempt) FROM attempts a WHERE a.row_id = s.row_id AND a.status = 'SUCCEEDED')
        """;

    public static ProductRecord ReadProduct(SqliteDataReader reader) => new(
        reader.GetInt64(0),
        reader.GetInt32(1),
        reader.GetString(2),
        reader.GetString(3),
        reader.GetInt64(4),
        reader.GetString(5),
        LedgerText.ParseTime(reader.GetString(6)));

    public static ScanRecord ReadScan(SqliteDataReader reader) => new(
        reader.GetInt64(0),
        reader.GetInt64(1),
        reader.GetString(2),
        reader.GetString(3),
        reader.GetString(4),
        reader.GetDouble(5),
        reader.GetString(6),
        reader.GetString(7),
        reader.GetInt64(8),
        LedgerText.ParseIds(reader.GetString(9)),
        LedgerText.ParseChecksums(reader.GetString(10)),
        reader.GetString(11),
        reader.GetString(12),
        LedgerText.ParseStatus(reader.GetString(13)),
        reader.GetInt32(14),
        Text(reader, 15),
        Text(reader, 16),
        LedgerText.ParseKind(Text(reader, 17)),
        reader.GetString(18),
        Text(reader, 19),
        Time(reader, 20),
        Time(reader, 21),
        LedgerText.ParseTime(reader.GetString(22)));

    public static AttemptRecord ReadAttempt(SqliteDataReader reader) => new(
        reader.GetInt64(0),
        reader.GetInt64(1),
        reader.GetString(2),
        reader.GetInt32(3),
        reader.GetString(4),
        LedgerText.ParseStatus(reader.GetString(5)),
        Text(reader, 6),
        Text(reader, 7),
        LedgerText.ParseKind(Text(reader, 8)),
        reader.GetString(9),
        Text(reader, 10),
        LedgerText.ParseTime(reader.GetString(11)),
        Time(reader, 12),
        LedgerText.ParseDurations(reader.GetString(13)),
        reader.GetString(14),
        reader.GetString(15),
        reader.GetString(16))
    {
        SlurmJobId = Text(reader, 17),
        SlurmTask = reader.IsDBNull(18) ? null : reader.GetInt32(18),
        SlurmNode = Text(reader, 19),
        SlurmElapsedSeconds = reader.IsDBNull(20) ? null : reader.GetDouble(20),
        SlurmCpuSeconds = reader.IsDBNull(21) ? null : reader.GetDouble(21),
        SlurmMaxRssBytes = reader.IsDBNull(22) ? null : reader.GetInt64(22),
    };

    private static string? Text(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static DateTimeOffset? Time(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : LedgerText.ParseTime(reader.GetString(ordinal));
}

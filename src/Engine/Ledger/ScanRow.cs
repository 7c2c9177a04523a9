using Microsoft.Data.Sqlite;
using Scanflow.Engine.Model;

namespace Scanflow.Engine.Ledger;

/// <summary>The part of a <c>scans</c> row the writer decides a claim on.</summary>
internal sealed record ScanRow(
    long RowId,
    ScanStatus Status,
    int Attempts,
    int Tries,
    string? RunId,
    string InputSha256,
    string CalibrationScanIds,
    string CalibrationSha256,
    string EngineVersion,
    string? Stage,
    string? Error,
    FailureKind? FailureKind,
    string L1Path,
    bool L1Current,
    string? SlurmSubmission)
{
    public const string Columns =
        "row_id, status, attempts, tries, run_id, input_sha256, calibration_scan_ids, calibration_sha256, engine_version, stage, error, failure_kind, l1_path, l1_current, "
        + "(SELECT a.slurm_submission FROM attempts a WHERE a.row_id = scans.row_id AND a.attempt = scans.attempts)";

    /// <summary>The row of (<paramref name="scanId"/>, <paramref name="band"/>, <paramref name="configSha256"/>), or null.</summary>
    public static ScanRow? Find(SqliteTransaction transaction, long scanId, Band band, string configSha256)
    {
        using var command = SqlParameters.Command(
            transaction,
            $"SELECT {Columns} FROM scans WHERE scan_id = $scan AND band = $band AND config_sha256 = $config;",
            ("$scan", scanId),
            ("$band", ModelNames.Of(band)),
            ("$config", configSha256));
        using var reader = command.ExecuteReader();
        return reader.Read() ? Read(reader) : null;
    }

    public static ScanRow Read(SqliteDataReader reader) => new(
        reader.GetInt64(0),
        LedgerText.ParseStatus(reader.GetString(1)),
        reader.GetInt32(2),
        reader.GetInt32(3),
        reader.IsDBNull(4) ? null : reader.GetString(4),
        reader.GetString(5),
        reader.GetString(6),
        reader.GetString(7),
        reader.GetString(8),
        reader.IsDBNull(9) ? null : reader.GetString(9),
        reader.IsDBNull(10) ? null : reader.GetString(10),
        LedgerText.ParseKind(reader.IsDBNull(11) ? null : reader.GetString(11)),
        reader.GetString(12),
        reader.GetInt64(13) != 0,
        reader.IsDBNull(14) ? null : reader.GetString(14));

    /// <summary>Same input file, calibration inputs (ids and checksums, in order) as <paramref name="claim"/>; the configuration is part of the row's key.</summary>
    public bool HasSameInputs(ScanClaim claim) =>
        InputSha256 == claim.InputSha256
        && CalibrationScanIds == LedgerText.Ids(claim.CalibrationScanIds)
        && CalibrationSha256 == LedgerText.Checksums(claim.CalibrationSha256);
}

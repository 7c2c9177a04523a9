namespace Scanflow.Engine.Ledger;

/// <summary>One row of the ledger's products table: a file an attempt of a scan row produced, as recorded with its success.</summary>
/// <param name="RowId">The scan row.</param>
/// <param name="Attempt">The attempt that produced it.</param>
/// <param name="Type">SCIENCE, QA_METRIC or PLOT (<see cref="ProductTypes"/>).</param>
/// <param name="Path">Full path of the file (a product set aside under a versioned name carries that name).</param>
/// <param name="Bytes">Its size when recorded.</param>
/// <param name="Sha256">Its SHA-256 when recorded, lower-case hex.</param>
/// <param name="RecordedUtc">When the success that recorded it was committed.</param>
internal sealed record ProductRecord(long RowId, int Attempt, string Type, string Path, long Bytes, string Sha256, DateTimeOffset RecordedUtc);

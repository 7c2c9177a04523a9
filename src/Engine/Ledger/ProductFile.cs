namespace Scanflow.Engine.Ledger;

/// <summary>One file a scan's calibration produced besides or including its L1 file, as the ledger's products table
/// records it: its type (<see cref="ProductTypes"/>), path, size and SHA-256.</summary>
/// <param name="Type">SCIENCE (the L1 file), QA_METRIC (<c>.qa.json</c>) or PLOT (a PNG).</param>
/// <param name="Path">Full path of the file.</param>
/// <param name="Bytes">Its size.</param>
/// <param name="Sha256">Its SHA-256, lower-case hex.</param>
public sealed record ProductFile(string Type, string Path, long Bytes, string Sha256);

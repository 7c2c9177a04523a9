namespace Scanflow.Engine.Formats;

/// <summary>A finished L1 file under its final name, with the checksum recorded for provenance.</summary>
public sealed record L1Product(string Path, string Sha256, long Bytes);

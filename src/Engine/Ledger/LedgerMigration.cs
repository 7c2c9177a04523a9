namespace Scanflow.Engine.Ledger;

/// <summary>One schema step: the SQL that takes a ledger from <c>Version - 1</c> to <see cref="Version"/>.</summary>
internal sealed record LedgerMigration(int Version, string Sql);

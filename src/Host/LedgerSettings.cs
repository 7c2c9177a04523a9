using Scanflow.Engine.Ledger;

namespace Scanflow.Host;

/// <summary>Where the ledger is and how it decides: version policy and retries.</summary>
internal sealed record LedgerSettings(string Path, LedgerOptions Options);

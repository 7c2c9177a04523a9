using Scanflow.Engine.Ledger;

namespace Scanflow.Host;

/// <summary>Where the ledger is and how it decides: version policy, retries, and the first retry's delay.</summary>
internal sealed record LedgerSettings(string Path, LedgerOptions Options, TimeSpan RetryBaseDelay);

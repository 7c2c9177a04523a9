using Microsoft.Extensions.Configuration;
using Scanflow.Engine.Ledger;

namespace Scanflow.Host;

/// <summary>Where the ledger is, the same for every command: <c>Scanflow:Ledger</c> (<c>--ledger PATH</c>), else
/// <c>OUTPUT/scanflow-ledger.sqlite</c> with <c>Scanflow:Output</c> (<c>--output DIR</c>), else that file in
/// <paramref name="directory"/> (verify's DIR) or in the working directory.</summary>
internal static class LedgerLocation
{
    public static string Of(string? ledger, string? output, string? directory = null) => Path.GetFullPath(
        !string.IsNullOrWhiteSpace(ledger)
            ? ledger.Trim()
            : Path.Combine(!string.IsNullOrWhiteSpace(output) ? output.Trim() : directory ?? ".", LedgerWriter.DefaultFileName));

    public static string Of(IConfiguration configuration, string? directory = null) =>
        Of(configuration[SettingNames.Ledger.Path], configuration[SettingNames.Output.Path], directory);
}

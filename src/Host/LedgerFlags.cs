using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Scanflow.Engine.Ledger;

namespace Scanflow.Host;

/// <summary>How a query command finds the ledger, as the run commands do (<see cref="LedgerLocation"/>): <c>--ledger
/// PATH</c>, else <c>Scanflow:Ledger</c> from <c>--config FILE</c> or the environment, else <c>Scanflow:Output</c> or
/// <c>--output DIR</c> → <c>DIR/scanflow-ledger.sqlite</c>, else that file in the working directory.</summary>
internal sealed class LedgerFlags
{
    private readonly Option<string?> _ledger;
    private readonly Option<string?>? _output;
    private readonly Option<FileInfo?> _config = ScanflowConfiguration.ConfigOption();

    /// <param name="fallback">Where the ledger is when no setting says, for the help text.</param>
    /// <param name="outputFlag">Whether <c>--output DIR</c> names the runs' output directory; false for a command whose
    /// <c>--output</c> is where it writes (<c>scanflow report</c>), which still reads <c>Scanflow:Output</c> from settings.</param>
    public LedgerFlags(string fallback = $"./{LedgerWriter.DefaultFileName}", bool outputFlag = true)
    {
        _ledger = new Option<string?>(SettingNames.Ledger.Flag)
        {
            Description = $"The ledger file (default: {SettingNames.Ledger.Path}, else OUTPUT/{LedgerWriter.DefaultFileName}, else {fallback})",
            HelpName = "PATH",
        };
        _output = outputFlag
            ? new Option<string?>(SettingNames.Output.Flag)
            {
                Description = $"The output directory of the runs whose ledger to read, OUTPUT/{LedgerWriter.DefaultFileName} [{SettingNames.Output.Path}]",
                HelpName = "DIR",
            }
            : null;
    }

    public void AddTo(Command command)
    {
        command.Options.Add(_ledger);
        if (_output is not null)
        {
            command.Options.Add(_output);
        }

        command.Options.Add(_config);
    }

    /// <summary>The ledger's full path; <paramref name="directory"/> replaces the working directory as the last resort.
    /// A missing <c>--config</c> file is an <see cref="ArgumentException"/>.</summary>
    public string Path(ParseResult result, string? directory = null)
    {
        var flags = new Dictionary<string, string?>();
        if (result.GetValue(_ledger) is { } ledger)
        {
            flags[SettingNames.Ledger.Path] = ledger;
        }

        if (_output is not null && result.GetValue(_output) is { } output)
        {
            flags[SettingNames.Output.Path] = output;
        }

        using var configuration = new ConfigurationManager();
        ScanflowConfiguration.AddSources(configuration, result.GetValue(_config)?.FullName, flags);
        return LedgerLocation.Of(configuration, directory);
    }
}

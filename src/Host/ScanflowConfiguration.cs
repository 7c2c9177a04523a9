using System.CommandLine;
using Microsoft.Extensions.Configuration;

namespace Scanflow.Host;

/// <summary>Where settings come from, for every command, later sources winning: <c>appsettings.json</c> beside the
/// executable, <c>--config FILE</c> (section <c>Scanflow</c>), <c>SCANFLOW__Key</c> environment variables, the flags.</summary>
internal static class ScanflowConfiguration
{
    public const string AppSettingsFile = "appsettings.json";

    public static Option<FileInfo?> ConfigOption() =>
        new("--config") { Description = $"A JSON settings file (section \"{RunSettings.Section}\"), read after {AppSettingsFile}; SCANFLOW__KEY environment variables and flags win over it", HelpName = "FILE" };

    /// <summary>Adds the sources to <paramref name="builder"/> (the service host's own, or a new <see cref="ConfigurationManager"/>, which loads each source as it is added). A missing or
    /// malformed <paramref name="configFile"/> is an <see cref="ArgumentException"/> saying so.</summary>
    public static void AddSources(IConfigurationBuilder builder, string? configFile, IReadOnlyDictionary<string, string?> flags)
    {
        if (configFile is not null && !File.Exists(configFile))
        {
            throw new ArgumentException($"--config {configFile} does not exist");
        }

        try
        {
            builder.AddJsonFile(Path.Combine(AppContext.BaseDirectory, AppSettingsFile), optional: true);
            if (configFile is not null)
            {
                builder.AddJsonFile(configFile, optional: false);
            }
        }
        catch (InvalidDataException e)
        {
            throw new ArgumentException($"--config {configFile} cannot be read: {e.GetBaseException().Message}", e);
        }

        builder.AddEnvironmentVariables();
        builder.AddInMemoryCollection(flags);
    }
}

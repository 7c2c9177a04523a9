using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Scanflow.Blocks;
using Scanflow.Engine.Processing;

namespace Scanflow.Host;

/// <summary>
/// The flags of <see cref="RunSettings"/>, the same on <c>scanflow calibrate</c> and <c>scanflow run</c> (which adds the
/// service's): each is its key in kebab case (<see cref="SettingName"/>) and goes into the configuration as the last,
/// winning source, so a flag and its key are read and checked by the same code.
/// </summary>
internal sealed class RunSettingsFlags
{
    private readonly bool _service;
    private readonly List<(SettingName Name, Option<string?> Option)> _values = [];
    private readonly Option<string[]> _parallelism;
    private readonly Option<string[]> _capacity;
    private readonly Option<bool> _traceConsole;

    public RunSettingsFlags(bool service)
    {
        _service = service;
        var d = RunSettings.Defaults;
        if (service)
        {
            Value(SettingNames.Drop, "DIR", "Directory raw scans land in (watched recursively, only read)");
        }

        Value(SettingNames.Output, "DIR", "Directory for the L1 products (created if missing)");
        Value(SettingNames.Ledger, "PATH", $"The ledger (default: OUTPUT/{Engine.Ledger.LedgerWriter.DefaultFileName})");
        Value(SettingNames.JMode, "MODE", $"Radiation temperature: planck, callen_welton or rj (test only); recorded in every product (default {Engine.Science.JModeNames.Of(d.JMode)})");
        Value(SettingNames.GainInterpolation, "MODE", $"none: one calibration per science scan; linear: gain interpolated between the calibrations before and after it (the service waits for the later one) (default {GainInterpolationNames.Of(d.GainInterpolation)})");
        Value(SettingNames.SuspectRadiometerRatio, "RATIO", Invariant($"Radiometer ratio (measured over predicted T_A* noise) above which qa.json marks a pixel suspect (default {d.SuspectRadiometerRatio})"));
        Value(SettingNames.VersionPolicy, "POLICY", $"compatible: an engine upgrade alone does not recalibrate; exact: products of another engine version are redone (default {d.VersionPolicy.ToString().ToLowerInvariant()})");
        Value(SettingNames.MaxRetries, "N", $"Retries of a scan after a transient failure (I/O error, locked or full disk) (default {d.MaxRetries})");
        Value(SettingNames.RetryDelay, "SECONDS", Invariant($"Seconds before the first retry; doubles each time (default {d.RetryDelay.TotalSeconds})"));
        Value(SettingNames.ChunkSize, "MIB", Invariant($"MiB of ON counts per chunk; memory in flight scales with it (default {d.ChunkBytes / (double)(1 << 20)})"));
        Value(SettingNames.MemoryLimit, "MIB", Invariant($"MiB the run aims to stay within: bounds the chunks in flight and the calibrations kept (default {d.MemoryLimitBytes >> 20})"));
        _parallelism = new Option<string[]>(SettingNames.Parallelism.Flag)
        {
            Description = $"Per-stage parallelism, STAGE=N, repeatable (default {Describe(s => s.MaxDegreeOfParallelism)}) [{SettingNames.Parallelism.Path}:STAGE]",
            HelpName = "STAGE=N",
        };
        _capacity = new Option<string[]>(SettingNames.Capacity.Flag)
        {
            Description = $"Per-stage queue bound in chunks, STAGE=N, repeatable (default {Describe(s => s.BoundedCapacity)}) [{SettingNames.Capacity.Path}:STAGE]",
            HelpName = "STAGE=N",
        };
        Value(SettingNames.ShutdownGrace, "SECONDS", Invariant($"After Ctrl+C or SIGTERM, seconds scans in flight get to finish before they are cancelled (default {d.ShutdownGrace.TotalSeconds})"));
        Value(SettingNames.MaxCalibrationAge, "MINUTES", Invariant($"Minutes between a science scan and its calibration scan at most (default {d.MaxCalibrationAge.TotalMinutes})"));
        Value(SettingNames.Executor, "EXECUTOR", "local: calibrate in this process; slurm: submit job arrays to SLURM from here, with the Slurm section of scanflow.json (docs/operations.md, Running on SLURM) (default local)");
        Value(SettingNames.MaxJobs, "N", "With --executor slurm: at most N array tasks of one submission run at once (default: no cap)");
        _traceConsole = new Option<bool>(SettingNames.TraceConsole.Flag) { Description = $"Also print every trace span on the console (OTLP export is set with OTEL_EXPORTER_OTLP_ENDPOINT) [{SettingNames.TraceConsole.Path}]" };
        if (service)
        {
            var s = d.Service;
            Value(SettingNames.MetricsUrl, "URL", $"Metrics URL, with /healthz and /readyz beside it; port 0 = any free port (default {s.MetricsUrl})");
            Value(SettingNames.Settle, "SECONDS", Invariant($"Seconds a file must stay unchanged before it is taken (default {s.Settle.TotalSeconds})"));
            Value(SettingNames.Rescan, "SECONDS", Invariant($"Seconds between full rescans of the drop directory (default {s.Rescan.TotalSeconds})"));
            Value(SettingNames.CalibrationWait, "MINUTES", Invariant($"Minutes a science scan waits for its calibration scan before it fails (default {s.CalibrationWait.TotalMinutes})"));
            Value(SettingNames.MetricsTokenFile, "FILE", "File of bearer tokens (one per line) every request to the listener must carry; required when MetricsUrl is not a loopback address");
            Value(SettingNames.MetricsCertificateFile, "FILE", "PEM certificate (with its key, or see the next flag) of an https:// MetricsUrl");
            Value(SettingNames.MetricsCertificateKeyFile, "FILE", "PEM private key of the certificate, when it is not in the certificate's file");
            Value(SettingNames.ReportDir, "DIR", $"Directory the service keeps the QA report of the ledger current in, served at /report/ on the metrics listener (default OUTPUT/{ServiceSettings.DefaultReportDirectoryName})");
            Value(SettingNames.MinFreeSpace, "MB", Invariant($"Intake pauses while the output disk has less free, and resumes by itself (default {OutputSpaceFloor.ProductsAbove} × the largest product seen, at least {OutputSpaceFloor.AutomaticMinimumBytes >> 20})"));
        }
    }

    public Option<FileInfo?> Config { get; } = ScanflowConfiguration.ConfigOption();

    public void AddTo(Command command)
    {
        command.Options.Add(Config);
        foreach (var (_, option) in _values)
        {
            command.Options.Add(option);
        }

        command.Options.Add(_parallelism);
        command.Options.Add(_capacity);
        command.Options.Add(_traceConsole);
    }

    /// <summary>Adds the settings' sources to <paramref name="configuration"/>, these flags last, and reads them. A bad
    /// value is an <see cref="ArgumentException"/> whose message is the one sentence to print.</summary>
    public RunSettings Read(ParseResult result, ConfigurationManager configuration)
    {
        var flags = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var typed = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, option) in _values)
        {
            if (result.GetResult(option) is { } given && result.GetValue(option) is { } value)
            {
                flags[name.Path] = value;
                typed[name.Key] = given.IdentifierToken?.Value ?? name.Flag;
            }
        }

        foreach (var (name, option) in new[] { (SettingNames.Parallelism, _parallelism), (SettingNames.Capacity, _capacity) })
        {
            foreach (var term in result.GetValue(option) ?? [])
            {
                var (stage, value) = StageTerm(term, name.Flag);
                flags[$"{name.Path}:{PipelineStages.Name(stage)}"] = value.ToString(CultureInfo.InvariantCulture);
            }
        }

        if (result.GetValue(_traceConsole))
        {
            flags[SettingNames.TraceConsole.Path] = "true";
        }

        ScanflowConfiguration.AddSources(configuration, result.GetValue(Config)?.FullName, flags);
        return RunSettingsReader.TryRead(configuration, typed, _service, out var settings, out var problem) ? settings : throw new ArgumentException(problem);
    }

    /// <summary><c>STAGE=N</c> with a configurable stage and N ≥ 1; the range is checked with the key.</summary>
    private static (PipelineStage Stage, int Value) StageTerm(string term, string flag)
    {
        var parts = term.Split('=', 2);
        if (parts.Length == 2 && PipelineStages.TryParse(parts[0], out var stage)
            && int.TryParse(parts[1], CultureInfo.InvariantCulture, out var value) && value >= 1)
        {
            return (stage, value);
        }

        throw new ArgumentException(
            $"{flag} '{term}' is not valid; expected STAGE=N with STAGE one of {string.Join(", ", PipelineStages.Configurable.Select(PipelineStages.Name))} and N ≥ 1");
    }

    private static string Describe(Func<StageOptions, int> value) =>
        string.Join(", ", PipelineStages.Configurable.Select(s => $"{PipelineStages.Name(s)} {value(RunSettings.Defaults.Stages[s]).ToString(CultureInfo.InvariantCulture)}"));

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private void Value(SettingName name, string helpName, string description) =>
        _values.Add((name, new Option<string?>(name.Flag, name.FlagAliases)
        {
            Description = $"{description} [{name.Path}]",
            HelpName = helpName,
        }));
}

using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Scanflow.Blocks;
using Scanflow.Engine.Ledger;
using Scanflow.Engine.Processing;
using Scanflow.Engine.Science;

namespace Scanflow.Host;

/// <summary>
/// Reads <see cref="RunSettings"/> from section <c>Scanflow</c> of the configuration (appsettings.json, <c>--config FILE</c>,
/// <c>SCANFLOW__Key</c> environment variables, then the flags, <see cref="ScanflowConfiguration"/>) and checks every
/// value. A problem is one sentence naming the key, the value and what is allowed, with the flag as typed:
/// <c>Scanflow:MaxRetries = 200 is out of range; --max-retries must be between 0 and 100 retries</c>.
/// </summary>
internal sealed partial class RunSettingsReader
{
    private const long MaxPort = 65535;

    private static readonly string[] OwnedOptions = ["--job-name", "--comment", "--array", "--output", "--error", "--chdir", "--parsable"];
    private static readonly string[] OwnedShortOptions = ["-J", "-a", "-o", "-e", "-D"];

    private static readonly SettingRange ParallelismRange = new(1, 64, "workers");
    private static readonly SettingRange CapacityRange = new(1, 1024, "chunks");
    private static readonly string StageNames = string.Join(", ", PipelineStages.Configurable.Select(PipelineStages.Name));

    private readonly IConfiguration _configuration;
    private readonly IConfigurationSection _section;
    private readonly IReadOnlyDictionary<string, string> _typedFlags;
    private readonly List<string> _problems = [];

    private RunSettingsReader(IConfiguration configuration, IReadOnlyDictionary<string, string> typedFlags)
    {
        _configuration = configuration;
        _section = configuration.GetSection(RunSettings.Section);
        _typedFlags = typedFlags;
    }

    /// <summary>The settings, or false and the first problem. <paramref name="typedFlags"/> maps a key to the flag the
    /// user typed for it (an alias, say); <paramref name="service"/> reads and checks the service's settings too
    /// (the drop directory must exist). The output directory and the ledger must be writable, or creatable: checked without
    /// creating anything.</summary>
    public static bool TryRead(
        IConfiguration configuration, IReadOnlyDictionary<string, string> typedFlags, bool service,
        [NotNullWhen(true)] out RunSettings? settings, [NotNullWhen(false)] out string? problem)
    {
        var reader = new RunSettingsReader(configuration, typedFlags);
        var read = reader.Read(service);
        settings = reader._problems.Count == 0 ? read : null;
        problem = reader._problems.FirstOrDefault();
        return settings is not null;
    }

    private RunSettings Read(bool service)
    {
        var d = RunSettings.Defaults;
        var serviceSettings = service ? ReadService() : new ServiceSettings();
        var output = Text(SettingNames.Output.Key);
        if (output is null)
        {
            _problems.Add($"{SettingNames.Output.Path} is not set; give the L1 directory with --output DIR, SCANFLOW__Output or --config FILE");
        }
        else if (DirectoryProbe.Uncreatable(output) is { } reason)
        {
            _problems.Add($"{SettingNames.Output.Path} = '{output}' is not writable ({reason}); set {Flag(SettingNames.Output)} to a directory scanflow may write to");
        }

        // Checked before anything is created, like the output directory: a command that refuses to start makes nothing.
        var ledger = LedgerLocation.Of(_configuration);
        if (_problems.Count == 0 && DirectoryProbe.UnwritableFile(ledger) is { } unwritable)
        {
            _problems.Add($"{SettingNames.Ledger.Path} = '{Text(SettingNames.Ledger.Key) ?? ledger}' cannot be written ({unwritable}); set {Flag(SettingNames.Ledger)} to a file in a directory scanflow may write to");
        }

        if (service && _problems.Count == 0)
        {
            CheckReportDirectory(serviceSettings);
            CheckListenerAccess(serviceSettings);
        }

        return new RunSettings
        {
            Output = Path.GetFullPath(output ?? "."),
            Ledger = ledger,
            JMode = Choice(SettingNames.JMode, d.JMode, Enum.GetValues<JMode>(), JModeNames.Of),
            GainInterpolation = Choice(SettingNames.GainInterpolation, d.GainInterpolation, Enum.GetValues<GainInterpolation>(), GainInterpolationNames.Of),
            SuspectRadiometerRatio = Number(SettingNames.SuspectRadiometerRatio.Key, Flag(SettingNames.SuspectRadiometerRatio), new SettingRange(1, 100, "times the predicted noise")) ?? d.SuspectRadiometerRatio,
            VersionPolicy = Choice(SettingNames.VersionPolicy, d.VersionPolicy, Enum.GetValues<VersionPolicy>(), p => p.ToString().ToLowerInvariant()),
            MaxRetries = Whole(SettingNames.MaxRetries.Key, Flag(SettingNames.MaxRetries), new SettingRange(0, 100, "retries")) ?? d.MaxRetries,
            RetryDelay = Duration(SettingNames.RetryDelay, d.RetryDelay, new SettingRange(0, 3600, "seconds"), TimeSpan.FromSeconds),
            ChunkBytes = Number(SettingNames.ChunkSize.Key, Flag(SettingNames.ChunkSize), new SettingRange(0.01, 4096, "MiB")) is { } mib
                ? (long)Math.Round(mib * (1 << 20))
                : d.ChunkBytes,
            MemoryLimitBytes = Whole(SettingNames.MemoryLimit.Key, Flag(SettingNames.MemoryLimit), new SettingRange(PipelineOptions.MinimumMemoryLimitBytes >> 20, 1 << 20, "MiB")) is { } limit
                ? (long)limit << 20
                : d.MemoryLimitBytes,
            Stages = Stages(d.Stages),
            ShutdownGrace = Duration(SettingNames.ShutdownGrace, d.ShutdownGrace, new SettingRange(0, 3600, "seconds"), TimeSpan.FromSeconds),
            MaxCalibrationAge = Duration(SettingNames.MaxCalibrationAge, d.MaxCalibrationAge, new SettingRange(0, 10080, "minutes", Positive: true), TimeSpan.FromMinutes),
            TraceConsole = Choice(SettingNames.TraceConsole, d.TraceConsole, [false, true], b => b ? "true" : "false"),
            Service = serviceSettings,
            Slurm = ReadSlurm(Path.GetFullPath(output ?? "."), ledger),
        };
    }

    /// <summary>The SLURM executor's settings when <c>Executor</c> is <c>slurm</c>: section <c>Slurm</c>, with
    /// <c>Slurm:Overrides:KEY</c> for a band, a mode or BAND/MODE, and <c>MaxJobs</c>.</summary>
    private SlurmOptions? ReadSlurm(string output, string ledger)
    {
        var executor = Choice(SettingNames.Executor, "local", ["local", "slurm"], e => e);
        var maxJobs = Whole(SettingNames.MaxJobs.Key, Flag(SettingNames.MaxJobs), new SettingRange(1, 100000, "array tasks"));
        if (executor != "slurm")
        {
            if (maxJobs is not null)
            {
                _problems.Add($"{SettingNames.MaxJobs.Path} is set but {SettingNames.Executor.Path} is local; use {Flag(SettingNames.Executor)} slurm, or remove {Flag(SettingNames.MaxJobs)}");
            }

            return null;
        }

        var s = SettingNames.SlurmSection;
        var defaults = new SlurmOptions { WorkDirectory = "", WorkerCommand = [], JobName = "" };
        var work = Text($"{s}:WorkDirectory") is { } dir ? Path.GetFullPath(dir) : Path.Combine(output, ".scanflow-slurm");
        if (_problems.Count == 0 && DirectoryProbe.Uncreatable(work) is { } reason)
        {
            _problems.Add($"{RunSettings.Section}:{s}:WorkDirectory = '{work}' is not writable ({reason}); set it to a directory on a filesystem every compute node mounts at the same path");
        }

        var bands = Enum.GetValues<Engine.Model.Band>().Select(Engine.Model.ModelNames.Of).ToList();
        var modes = Enum.GetValues<Engine.Model.ObsMode>().Select(Engine.Model.ModelNames.Of).ToList();
        foreach (var key in _section.GetSection($"{s}:Overrides").GetChildren().Select(c => c.Key).Where(k => !IsOverrideKey(k, bands, modes)))
        {
            _problems.Add($"{RunSettings.Section}:{s}:Overrides:{key} names no band or observing mode; use a band ({string.Join(", ", bands)}), a mode ({string.Join(", ", modes)}) or BAND/MODE");
        }

        var overrides = _section.GetSection($"{s}:Overrides").GetChildren().ToDictionary(c => c.Key.ToUpperInvariant(), c => Resources($"{s}:Overrides:{c.Key}"));
        var options = defaults with
        {
            WorkDirectory = work,
            WorkerCommand = SelfProcess.Command(),
            // One name per ledger: every job of its coordinators is found with one squeue call, and no other ledger's.
            JobName = "scanflow-" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(ledger)))[..10],
            Resources = Resources(s),
            Overrides = overrides,
            MaxJobs = maxJobs,
            ShardBytes = Number($"{s}:ShardGb", $"{RunSettings.Section}:{s}:ShardGb", new SettingRange(0, 1 << 20, "GB", Positive: true)) is { } gb
                ? (long)(gb * 1e9)
                : defaults.ShardBytes,
            BatchWindow = Number($"{s}:BatchSeconds", $"{RunSettings.Section}:{s}:BatchSeconds", new SettingRange(0, 3600, "seconds")) is { } batch
                ? TimeSpan.FromSeconds(batch)
                : defaults.BatchWindow,
            PollInterval = Number($"{s}:PollSeconds", $"{RunSettings.Section}:{s}:PollSeconds", new SettingRange(0.1, 3600, "seconds")) is { } poll
                ? TimeSpan.FromSeconds(poll)
                : defaults.PollInterval,
            MaxPollInterval = Number($"{s}:MaxPollSeconds", $"{RunSettings.Section}:{s}:MaxPollSeconds", new SettingRange(0.1, 3600, "seconds")) is { } max
                ? TimeSpan.FromSeconds(max)
                : defaults.MaxPollInterval,
        };
        if (options.ShardBytes < 1)
        {
            _problems.Add($"{RunSettings.Section}:{s}:ShardGb is below one byte; set it to the raw data one array task should calibrate, in GB (e.g. 16)");
        }

        foreach (var argument in new[] { options.Resources }.Concat(options.Overrides.Values).SelectMany(r => r.ExtraArguments).Where(OwnedBySlurmExecutor))
        {
            _problems.Add($"{RunSettings.Section}:{s}:ExtraArguments holds '{argument}', which scanflow sets itself (job name, comment, array, output, working directory, parsable): remove it");
        }

        if (options.MaxPollInterval < options.PollInterval)
        {
            _problems.Add($"{RunSettings.Section}:{s}:MaxPollSeconds = {options.MaxPollInterval.TotalSeconds.ToString(CultureInfo.InvariantCulture)} is below PollSeconds ({options.PollInterval.TotalSeconds.ToString(CultureInfo.InvariantCulture)}); set it to at least PollSeconds");
        }

        return options;
    }

    /// <summary>sbatch options the executor sets and relies on: the job name and comment find its jobs, the array and output
    /// place its tasks' work.</summary>
    private static bool OwnedBySlurmExecutor(string argument) =>
        OwnedOptions.Any(o => argument == o || argument.StartsWith(o + "=", StringComparison.Ordinal))
        || OwnedShortOptions.Any(o => argument.StartsWith(o, StringComparison.Ordinal));

    /// <summary>A band, a mode, or BAND/MODE.</summary>
    private static bool IsOverrideKey(string key, List<string> bands, List<string> modes) => key.Split('/') switch
    {
        [var one] => bands.Concat(modes).Contains(one, StringComparer.OrdinalIgnoreCase),
        [var band, var mode] => bands.Contains(band, StringComparer.OrdinalIgnoreCase) && modes.Contains(mode, StringComparer.OrdinalIgnoreCase),
        _ => false,
    };

    /// <summary>sbatch flags under <paramref name="key"/>: Partition, Account, Qos, CpusPerTask, MemoryMb, TimeLimitMinutes,
    /// ExtraArguments (a list, each item one argument).</summary>
    private SlurmResources Resources(string key) => new()
    {
        Partition = Text($"{key}:Partition"),
        Account = Text($"{key}:Account"),
        Qos = Text($"{key}:Qos"),
        CpusPerTask = Whole($"{key}:CpusPerTask", $"{RunSettings.Section}:{key}:CpusPerTask", new SettingRange(1, 4096, "CPUs")),
        MemoryMegabytes = Whole($"{key}:MemoryMb", $"{RunSettings.Section}:{key}:MemoryMb", new SettingRange(64, int.MaxValue, "MiB")),
        TimeLimit = Number($"{key}:TimeLimitMinutes", $"{RunSettings.Section}:{key}:TimeLimitMinutes", new SettingRange(1, 525600, "minutes")) is { } minutes
            ? TimeSpan.FromMinutes(minutes)
            : null,
        ExtraArguments = [.. _section.GetSection($"{key}:ExtraArguments").GetChildren().Select(c => c.Value).OfType<string>()],
    };

    private ServiceSettings ReadService()
    {
        var d = RunSettings.Defaults.Service;
        var drop = Text(SettingNames.Drop.Key);
        if (drop is null)
        {
            _problems.Add($"{SettingNames.Drop.Path} is not set; give the drop directory with --drop DIR, SCANFLOW__Drop or --config FILE");
        }
        else if (!Directory.Exists(drop))
        {
            _problems.Add($"{SettingNames.Drop.Path} = '{drop}' is not an existing directory; set it to the drop directory raw scans land in");
        }

        var metricsUrl = MetricsUrl();
        return new ServiceSettings
        {
            Drop = Path.GetFullPath(drop ?? "."),
            MetricsUrl = metricsUrl,
            MetricsTokenFile = FullPath(SettingNames.MetricsTokenFile),
            AllowUnauthenticated = Choice(
                new SettingName(SettingNames.AllowUnauthenticatedKey, SettingNames.AllowUnauthenticatedKey), d.AllowUnauthenticated, [false, true], b => b ? "true" : "false"),
            MetricsCertificateFile = FullPath(SettingNames.MetricsCertificateFile),
            MetricsCertificateKeyFile = FullPath(SettingNames.MetricsCertificateKeyFile),
            Settle = Duration(SettingNames.Settle, d.Settle, new SettingRange(0, 3600, "seconds"), TimeSpan.FromSeconds),
            Rescan = Duration(SettingNames.Rescan, d.Rescan, new SettingRange(1, 86400, "seconds"), TimeSpan.FromSeconds),
            CalibrationWait = Duration(SettingNames.CalibrationWait, d.CalibrationWait, new SettingRange(0, 10080, "minutes", Positive: true), TimeSpan.FromMinutes),
            MinFreeSpaceBytes = Number(SettingNames.MinFreeSpace.Key, Flag(SettingNames.MinFreeSpace), new SettingRange(0, 1 << 30, "MB", Positive: true)) is { } mb
                ? (long)Math.Round(mb * (1 << 20))
                : d.MinFreeSpaceBytes,
            ReportDirectory = Path.GetFullPath(Text(SettingNames.ReportDir.Key)
                ?? Path.Combine(Text(SettingNames.Output.Key) ?? ".", ServiceSettings.DefaultReportDirectoryName)),
        };
    }

    /// <summary>The full path of a file setting, or null when it is not set.</summary>
    private string? FullPath(SettingName name) => Text(name.Key) is { } path ? Path.GetFullPath(path) : null;

    /// <summary>Who may reach the listener: beyond loopback only with a token (or an explicit choice to serve it open);
    /// https only with a certificate that loads, and a certificate only for https.</summary>
    private void CheckListenerAccess(ServiceSettings service)
    {
        var url = service.MetricsUrl;
        if (service.MetricsTokenFile is { } tokens && MetricsTokens.Problem(tokens) is { } problem)
        {
            _problems.Add($"{SettingNames.MetricsTokenFile.Path} = '{tokens}' {problem}");
        }
        else if (service.BeyondLoopback && service.MetricsTokenFile is null && !service.AllowUnauthenticated)
        {
            _problems.Add(
                $"{SettingNames.MetricsUrl.Path} = '{url}' is reachable from other machines, and then metrics, health and the QA report would be open to anyone who reaches the port; "
                + $"set {SettingNames.MetricsTokenFile.Path} ({Flag(SettingNames.MetricsTokenFile)}) to a file holding a bearer token (docs/operations.md, Security), "
                + $"or {RunSettings.Section}:{SettingNames.AllowUnauthenticatedKey} = true to serve it without one");
        }

        if (url.Scheme == Uri.UriSchemeHttps && service.MetricsCertificateFile is null)
        {
            _problems.Add($"{SettingNames.MetricsUrl.Path} = '{url}' is https; set {SettingNames.MetricsCertificateFile.Path} ({Flag(SettingNames.MetricsCertificateFile)}) to its PEM certificate");
        }
        else if (url.Scheme != Uri.UriSchemeHttps && service.MetricsCertificateFile is not null)
        {
            _problems.Add($"{SettingNames.MetricsCertificateFile.Path} is set but {SettingNames.MetricsUrl.Path} = '{url}' is not https; use an https:// URL, or remove the certificate");
        }
        else if (service.MetricsCertificateFile is { } certificate && MetricsCertificate.Problem(certificate, service.MetricsCertificateKeyFile) is { } why)
        {
            _problems.Add($"{SettingNames.MetricsCertificateFile.Path} = '{certificate}' {why}");
        }
    }

    /// <summary>The report's directory must be writable or creatable (checked without creating it), and outside the drop
    /// directory, which the service only reads.</summary>
    private void CheckReportDirectory(ServiceSettings service)
    {
        var name = SettingNames.ReportDir;
        var report = Path.TrimEndingDirectorySeparator(service.ReportDirectory);
        var shown = Text(name.Key) ?? report;
        var drop = Path.TrimEndingDirectorySeparator(service.Drop);
        if (report == drop || report.StartsWith(drop + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            _problems.Add($"{name.Path} = '{shown}' is inside the drop directory {service.Drop}, which the service only reads; set {Flag(name)} to a directory outside it");
        }
        else if (DirectoryProbe.Uncreatable(report) is { } reason)
        {
            _problems.Add($"{name.Path} = '{shown}' is not writable ({reason}); set {Flag(name)} to a directory scanflow may write to");
        }
    }

    private Uri MetricsUrl()
    {
        var name = SettingNames.MetricsUrl;
        if (Text(name.Key) is not { } text)
        {
            return RunSettings.Defaults.Service.MetricsUrl;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) && PortOf(text) is { } port and > MaxPort)
        {
            _problems.Add(string.Create(
                CultureInfo.InvariantCulture,
                $"{name.Path} = '{text}' has port {port}, above {MaxPort}; set {Flag(name)} to a port from 1 to {MaxPort}, or 0 for any free port"));
        }
        else if (url is null || url.Scheme is not ("http" or "https"))
        {
            _problems.Add($"{name.Path} = '{text}' is not an http(s) URL; set {Flag(name)} to e.g. {ServiceSettings.DefaultMetricsUrl}");
        }
        else if (MetricsListener.Problem(url) is { } problem)
        {
            _problems.Add($"{name.Path} = '{text}' {problem}");
        }

        return url ?? RunSettings.Defaults.Service.MetricsUrl;
    }

    /// <summary>The port of an <c>http://HOST:PORT/...</c> text that <see cref="Uri"/> refused, if it has one: a port too
    /// large is the usual reason, and deserves its own sentence.</summary>
    private static long? PortOf(string text) =>
        PortPattern().Match(text) is { Success: true } m && long.TryParse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            ? port
            : null;

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9+.-]*://(?:\[[^\]]*\]|[^/:\[\]]*):(\d{1,18})(?:[/?#]|$)")]
    private static partial Regex PortPattern();

    /// <summary>Parallelism and capacity of each configurable stage: <c>Parallelism:STAGE</c>, <c>Capacity:STAGE</c>, and the
    /// older <c>PrepareParallelism</c>.</summary>
    private Dictionary<PipelineStage, StageOptions> Stages(IReadOnlyDictionary<PipelineStage, StageOptions> defaults)
    {
        foreach (var section in new[] { SettingNames.Parallelism, SettingNames.Capacity })
        {
            foreach (var child in _section.GetSection(section.Key).GetChildren().Where(c => !PipelineStages.TryParse(c.Key, out _)))
            {
                _problems.Add($"{section.Path}:{child.Key} is not a stage; {Flag(section)} STAGE=N takes STAGE one of {StageNames}");
            }
        }

        var stages = PipelineStages.All.ToDictionary(s => s, s => defaults[s]);
        foreach (var stage in PipelineStages.Configurable)
        {
            var name = PipelineStages.Name(stage);
            var parallelism = Whole($"{SettingNames.Parallelism.Key}:{name}", $"N in {Flag(SettingNames.Parallelism)} {name}=N", ParallelismRange);
            var capacity = Whole($"{SettingNames.Capacity.Key}:{name}", $"N in {Flag(SettingNames.Capacity)} {name}=N", CapacityRange);
            if (stage == PipelineStage.Prepare && parallelism is null
                && Whole(SettingNames.OldPrepareParallelismKey, $"N in {SettingNames.Parallelism.Flag} {name}=N", ParallelismRange) is { } old)
            {
                parallelism = old;
                capacity ??= 2 * old;
            }

            stages[stage] = new StageOptions(parallelism ?? defaults[stage].MaxDegreeOfParallelism, capacity ?? defaults[stage].BoundedCapacity);
        }

        return stages;
    }

    /// <summary>The flag as the user typed it (an alias, say), else the setting's own flag.</summary>
    private string Flag(SettingName name) => _typedFlags.TryGetValue(name.Key, out var typed) ? typed : name.Flag;

    private string? Text(string key) => _section[key] is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    private void Problem(string key, string value, string what, string subject, string allowed) =>
        _problems.Add($"{RunSettings.Section}:{key} = {value} {what}; {subject} must be {allowed}");

    private TimeSpan Duration(SettingName name, TimeSpan fallback, SettingRange range, Func<double, TimeSpan> unit) =>
        Number(name.Key, Flag(name), range) is { } value ? unit(value) : fallback;

    private double? Number(string key, string subject, SettingRange range)
    {
        if (Text(key) is not { } text)
        {
            return null;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            Problem(key, $"'{text}'", "is not a number", subject, range.Describe());
            return null;
        }

        if (!range.Contains(value))
        {
            Problem(key, text, "is out of range", subject, range.Describe());
            return null;
        }

        return value;
    }

    private int? Whole(string key, string subject, SettingRange range)
    {
        if (Text(key) is not { } text)
        {
            return null;
        }

        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            Problem(key, $"'{text}'", "is not a whole number", subject, range.Describe());
            return null;
        }

        if (!range.Contains(value))
        {
            Problem(key, text, "is out of range", subject, range.Describe());
            return null;
        }

        return value;
    }

    /// <summary>One of a few named values, by name in any case.</summary>
    private T Choice<T>(SettingName name, T fallback, IReadOnlyList<T> values, Func<T, string> spelling)
    {
        if (Text(name.Key) is not { } text)
        {
            return fallback;
        }

        foreach (var value in values)
        {
            if (string.Equals(spelling(value), text, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        var allowed = values.Select(spelling).ToList();
        Problem(name.Key, $"'{text}'", "is not allowed", Flag(name), $"{string.Join(", ", allowed.SkipLast(1))} or {allowed[^1]}");
        return fallback;
    }

}

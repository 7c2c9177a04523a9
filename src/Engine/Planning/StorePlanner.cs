using Scanflow.Engine.Formats;
using Scanflow.Engine.Model;

namespace Scanflow.Engine.Planning;

/// <summary>Plans a store: reads the header of every scan file, pairs each selected science scan with its calibration
/// scan (calibration.md §7.6) and says why every other file or scan is left out. Reads no counts.</summary>
public static class StorePlanner
{
    /// <summary>
    /// Plans the scans under <paramref name="inputs"/>: directories (walked recursively for <c>*.h5</c>/<c>*.hdf5</c>)
    /// or files (taken whatever their extension). A missing input is an <see cref="ArgumentException"/> naming it;
    /// everything that goes wrong with a file or directory below the inputs is an <see cref="ExcludedScan"/> instead.
    /// </summary>
    public static StorePlan Plan(IReadOnlyList<string> inputs, PlanningOptions options) => Plan(inputs, options, list: null);

    /// <summary>As <see cref="Plan(IReadOnlyList{string}, PlanningOptions)"/>, with the directory listing replaceable to inject faults.</summary>
    internal static StorePlan Plan(IReadOnlyList<string> inputs, PlanningOptions options, Func<string, DirectoryListing>? list)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.Selection);
        if (options.MaxCalibrationAge < TimeSpan.Zero)
        {
            throw new ArgumentException($"the maximum calibration age must not be negative (got {options.MaxCalibrationAge})", nameof(options));
        }

        var discovery = ScanFileDiscovery.Run(inputs, list);
        var excluded = new List<ExcludedScan>(discovery.Failures);
        var headers = ReadHeaders(discovery.Files, excluded);

        var calibrations = new List<RawScanHeader>();
        var science = new List<RawScanHeader>();
        foreach (var header in headers)
        {
            (header.Kind == ScanKind.Calibration ? calibrations : science).Add(header);
        }

        calibrations.Sort(ByStart);
        science.Sort(ByStart);

        var planned = new List<PlannedScan>();
        foreach (var scan in science)
        {
            if (!options.Selection.Matches(scan))
            {
                excluded.Add(new ExcludedScan(scan.FilePath, scan.ScanId, ExclusionKind.NotSelected, $"not selected ({options.Selection.Describe()})"));
            }
            else if (CalibrationPairing.Choose(scan, calibrations, options.MaxCalibrationAge, out var reason) is { } calibration)
            {
                planned.Add(CalibrationPairing.WithLater(new PlannedScan(scan, calibration), calibrations, options));
            }
            else
            {
                excluded.Add(new ExcludedScan(scan.FilePath, scan.ScanId, ExclusionKind.Failed, reason!));
            }
        }

        return new StorePlan(planned, excluded, calibrations, discovery.IgnoredFiles);
    }

    private static int ByStart(RawScanHeader a, RawScanHeader b) =>
        (a.StartMjd, a.ScanId).CompareTo((b.StartMjd, b.ScanId));

    /// <summary>Reads the headers in parallel but reports them in file order, so duplicates and failures come out
    /// the same on every run. A FIFO, socket or device is not opened (<see cref="RawScanFile.Open"/> checks): it is a
    /// failure with the reason. The first file with a scan id and kind wins; a later one is a failure naming both.</summary>
    private static List<RawScanHeader> ReadHeaders(IReadOnlyList<string> files, List<ExcludedScan> excluded)
    {
        var results = new (RawScanHeader? Header, string? Error)[files.Count];
        Parallel.For(0, files.Count, i =>
        {
            try
            {
                results[i] = (RawScanFile.ReadHeader(files[i]), null);
            }
            catch (ScanFormatException e)
            {
                results[i] = (null, e.Reason); // the exclusion names the file already
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                results[i] = (null, $"cannot be read: {e.Message}");
            }
        });

        var headers = new List<RawScanHeader>(files.Count);
        var owners = new Dictionary<(long ScanId, ScanKind Kind), string>();
        for (var i = 0; i < files.Count; i++)
        {
            var (header, error) = results[i];
            if (header is null)
            {
                excluded.Add(new ExcludedScan(files[i], null, ExclusionKind.Failed, error!));
            }
            else if (owners.TryGetValue((header.ScanId, header.Kind), out var first))
            {
                excluded.Add(new ExcludedScan(
                    files[i], header.ScanId, ExclusionKind.Failed,
                    $"duplicate {ModelNames.Of(header.Kind)} scan {header.ScanId}: {files[i]} repeats {first}, which is used"));
            }
            else
            {
                owners.Add((header.ScanId, header.Kind), files[i]);
                headers.Add(header);
            }
        }

        return headers;
    }
}

using System.Diagnostics;
using System.Text.Json;

namespace Scanflow.Host.Tests;

/// <summary>
/// Issue 10 item 3, set up once: noiseless simulated scans whose counts another tool (h5py) zero-filled or made
/// non-finite, calibrated by the real <c>scanflow calibrate</c>, then every L1 product read back by h5py.
/// </summary>
public sealed class DamagedCountsStore : IDisposable
{
    /// <summary>Each science scan gets one kind of damage; the comments say which.</summary>
    private const string DamageScript =
        """
        import h5py, numpy as np, os, sys
        os.chdir(sys.argv[1])
        def science(scan_id):
            return h5py.File(f'scan_{scan_id:06d}_LFA_tp.h5', 'r+')
        with science(2) as f:  # zero-filled ON dumps, and one pixel of one more dump
            f['on/counts'][10:20] = 0
            f['on/counts'][30, 2, :] = 0
        with science(3) as f:  # Inf and NaN in ON counts
            f['on/counts'][5, 1, 7] = np.inf
            f['on/counts'][6, 2, :] = -np.inf
            f['on/counts'][8, 0, 3] = np.nan
        with science(4) as f:  # NaN in OFF: one pixel's row of one dump, one channel of another
            f['off/counts'][3, 1, :] = np.nan
            f['off/counts'][4, 2, 10] = np.nan
        with science(5) as f:  # filled in place in time order and taken half-written: nothing after ON dump 51
            f['on/counts'][51:] = 0
            counts = f['off/counts'][...]
            counts[f['off/mjd'][:] > f['on/mjd'][51]] = 0
            f['off/counts'][...] = counts
        with science(6) as f:  # ON = OFF = 0
            f['on/counts'][...] = 0
            f['off/counts'][...] = 0
        with science(7) as f:  # all-NaN ON
            f['on/counts'][...] = np.nan
        with science(8) as f:  # one pixel zero-filled in one OFF dump; +Inf in one OFF channel
            f['off/counts'][2, 3, :] = 0
            f['off/counts'][5, 0, 20] = np.inf
        with h5py.File('scan_000050_HFA_cal.h5', 'r+') as f:  # NaN, Inf and a zero-filled dump in the loads
            f['hot/counts'][:, 0, 5] = np.nan
            f['cold/counts'][2, 1, :] = 0
            f['sky/counts'][0, 2, 9] = np.inf
        with h5py.File('scan_000060_LFA_cal.h5', 'r+') as f:  # a hot load never written
            f['hot/counts'][...] = 0
        """;

    /// <summary>Per product: float datasets holding ±inf, dump_flag bit 2 and channel_flag bits 0/1 positions, and the
    /// T_A* values no flag covers (formats.md: NaN wherever channel_flag ≠ 0 or dump_flag has bit 1 or 2).</summary>
    private const string CheckScript =
        """
        import glob, h5py, json, numpy as np, os, sys
        report = {}
        for path in sorted(glob.glob(os.path.join(sys.argv[1], '*.l1.h5'))):
            with h5py.File(path, 'r') as f:
                infinite = []
                def visit(name, obj):
                    if isinstance(obj, h5py.Dataset) and obj.dtype.kind == 'f' and np.isinf(obj[...]).any():
                        infinite.append(name)
                f.visititems(visit)
                ta = f['ta_star'][...]
                dump_flag = f['dump_flag'][...]
                channel_flag = f['channel_flag'][...]
                flagged = (channel_flag[None, :, :] != 0) | ((dump_flag & 0b110) != 0)[:, :, None]
                unflagged = ta[~flagged]
                report[str(f.attrs['scan_id'].item())] = {
                    'infinite_datasets': infinite,
                    'invalid_counts': [[int(d), int(p)] for d, p in zip(*np.nonzero(dump_flag & 4))],
                    'off_extrapolated_dumps': sorted({int(d) for d, p in zip(*np.nonzero(dump_flag & 1))}),
                    'bad_channels': [[int(p), int(k)] for p, k in zip(*np.nonzero(channel_flag & 1))],
                    'bad_pixels': [int(p) for p in range(channel_flag.shape[0]) if (channel_flag[p] & 2).all()],
                    'nan_where_flagged': bool(np.isnan(ta[flagged]).all()),
                    'unflagged': int(unflagged.size),
                    'unflagged_not_finite': int((~np.isfinite(unflagged)).sum()),
                    'unflagged_min': float(unflagged.min()) if unflagged.size else None,
                }
        json.dump(report, sys.stdout)
        """;

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "scanflow-host-tests", Guid.NewGuid().ToString("N"));

    public DamagedCountsStore()
    {
        // Three calibrations: LFA scan 1 with science 2–8, HFA 50 with 51, LFA 60 with 61 (three days later).
        Simulate("--scans", "7");
        Simulate("--scans", "1", "--band", "HFA", "--first-scan-id", "50", "--start-mjd", "61368");
        Simulate("--scans", "1", "--first-scan-id", "60", "--start-mjd", "61370");
        StoreDamage.Apply(_directory, Store, DamageScript);

        Calibration = ScanflowProcess.Run("calibrate", Store, "--output", Output);
        Failures = FailureReport.Load(Output).Failures.Where(f => f.ScanId is not null).ToDictionary(f => f.ScanId!.Value);
        Products = JsonSerializer.Deserialize<Dictionary<long, L1ProductCheck>>(RunPython(CheckScript, Output), SnakeCase)!;
        var failed = ScanflowProcess.Run("scans", "--output", Output, "--status", "failed", "--json");
        Assert.True(failed.ExitCode == 0, failed.Errors);
        FailureKinds = JsonDocument.Parse(failed.Output).RootElement.EnumerateArray()
            .ToDictionary(row => row.GetProperty("scan_id").GetInt64(), row => row.GetProperty("failure_kind").GetString()!);
    }

    public string Store => Path.Combine(_directory, "store");

    public string Output => Path.Combine(_directory, "l1");

    internal ScanflowProcess.Result Calibration { get; }

    internal IReadOnlyDictionary<long, FailureEntry> Failures { get; }

    internal IReadOnlyDictionary<long, L1ProductCheck> Products { get; }

    internal IReadOnlyDictionary<long, string> FailureKinds { get; }

    private static JsonSerializerOptions SnakeCase { get; } = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private void Simulate(params string[] args) => ScanflowProcess.Simulate(Store, ["--pixels", "4", "--channels", "64", "--no-noise", .. args]);

    /// <summary>Runs <paramref name="script"/> with Debian's python3 (h5py) and returns what it prints.</summary>
    private string RunPython(string script, params string[] args)
    {
        var path = Path.Combine(_directory, "check_products.py");
        File.WriteAllText(path, script);
        using var process = Process.Start(new ProcessStartInfo("/usr/bin/python3", [path, .. args]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var errors = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, errors.Result);
        return output;
    }
}

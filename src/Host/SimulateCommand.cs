using System.CommandLine;
using Scanflow.Engine.Formats;
using Scanflow.Engine.Model;
using Scanflow.Engine.Simulation;

namespace Scanflow.Host;

/// <summary><c>scanflow simulate</c>: writes raw scans and truth.json from the forward model of calibration.md §3.</summary>
internal static class SimulateCommand
{
    public static Command Create()
    {
        var defaults = new SimulationOptions { OutputDirectory = "." };
        var output = new Option<DirectoryInfo>("--output") { Description = "Directory to write the raw scans and truth.json into", Required = true };
        var scans = new Option<int>("--scans") { Description = "Science scans after the first calibration scan", DefaultValueFactory = _ => defaults.Scans };
        var band = new Option<string>("--band") { Description = "LFA or HFA", DefaultValueFactory = _ => "LFA" };
        band.AcceptOnlyFromAmong("LFA", "HFA", "lfa", "hfa");
        var mode = new Option<string>("--mode") { Description = "TP (total power) or OTF (on-the-fly)", DefaultValueFactory = _ => "TP" };
        mode.AcceptOnlyFromAmong("TP", "OTF", "tp", "otf");
        var pixels = new Option<int>("--pixels") { Description = "Pixels per scan", DefaultValueFactory = _ => defaults.Pixels };
        var channels = new Option<int>("--channels") { Description = "Channels per pixel", DefaultValueFactory = _ => defaults.Channels };
        var onDumps = new Option<int>("--on-dumps") { Description = "ON dumps per science scan", DefaultValueFactory = _ => defaults.OnDumps };
        var offDumps = new Option<int>("--off-dumps") { Description = "OFF dumps per science scan (OTF: blocks of two)", DefaultValueFactory = _ => defaults.OffDumps };
        var pwv = new Option<double>("--pwv") { Description = "Precipitable water vapour, mm", DefaultValueFactory = _ => defaults.PwvMm };
        var elevation = new Option<double>("--elevation") { Description = "Elevation of the calibration and first science scan, degrees", DefaultValueFactory = _ => defaults.ElevationDeg };
        var seed = new Option<int>("--seed") { Description = "Random seed (same seed, same files)", DefaultValueFactory = _ => defaults.Seed };
        var noNoise = new Option<bool>("--no-noise") { Description = "Write noiseless counts" };
        var layout = new Option<string>("--layout") { Description = "contiguous, chunked (one dump per chunk) or gzip (chunked, shuffle + gzip)", DefaultValueFactory = _ => "contiguous" };
        layout.AcceptOnlyFromAmong("contiguous", "chunked", "gzip");
        var firstScanId = new Option<long>("--first-scan-id") { Description = "Scan number of the calibration scan; science scans follow", DefaultValueFactory = _ => defaults.FirstScanId };
        var startMjd = new Option<double>("--start-mjd") { Description = "MJD (UTC) of the calibration scan", DefaultValueFactory = _ => defaults.StartMjd };
        var gainDrift = new Option<double>("--gain-drift") { Description = "Receiver gain drift, percent per 10 minutes, linear in time", DefaultValueFactory = _ => defaults.GainDriftPercentPer10Minutes };
        var calibrationAfter = new Option<bool>("--calibration-after") { Description = "Write a second calibration scan after the last science scan" };
        var noisyPixel = new Option<int?>("--noisy-pixel") { Description = "0-based index of a pixel whose radiometer noise in the science scans is multiplied by --noise-factor" };
        var noiseFactor = new Option<double>("--noise-factor") { Description = "Noise multiplier of --noisy-pixel, 1 to 100", DefaultValueFactory = _ => defaults.NoiseFactor };
        var spurPixel = new Option<int?>("--spur-pixel") { Description = "0-based index of a pixel whose science ON dumps carry a one-channel spur of random sign" };
        var spurAmplitude = new Option<double>("--spur-amplitude") { Description = "Spur magnitude in units of the predicted ON-OFF noise sigma_pred, 1 to 1000", DefaultValueFactory = _ => defaults.SpurAmplitudeSigma };

        var command = new Command("simulate", "Write simulated raw scans (one calibration scan, then N science scans, and with --calibration-after a second calibration scan) and truth.json")
        {
            output, scans, band, mode, pixels, channels, onDumps, offDumps, pwv, elevation, seed, noNoise, layout, firstScanId, startMjd, gainDrift,
            calibrationAfter, noisyPixel, noiseFactor, spurPixel, spurAmplitude,
        };
        command.SetAction(result =>
        {
            // AcceptOnlyFromAmong has already rejected anything else.
            _ = ModelNames.TryParseBand(result.GetValue(band)!, out var parsedBand);
            _ = ModelNames.TryParseObsMode(result.GetValue(mode)!, out var parsedMode);
            var options = new SimulationOptions
            {
                OutputDirectory = result.GetValue(output)!.FullName,
                Scans = result.GetValue(scans),
                Band = parsedBand,
                Mode = parsedMode,
                Pixels = result.GetValue(pixels),
                Channels = result.GetValue(channels),
                OnDumps = result.GetValue(onDumps),
                OffDumps = result.GetValue(offDumps),
                PwvMm = result.GetValue(pwv),
                ElevationDeg = result.GetValue(elevation),
                Seed = result.GetValue(seed),
                Noise = !result.GetValue(noNoise),
                Layout = Enum.Parse<RawLayout>(result.GetValue(layout)!, ignoreCase: true),
                FirstScanId = result.GetValue(firstScanId),
                StartMjd = result.GetValue(startMjd),
                GainDriftPercentPer10Minutes = result.GetValue(gainDrift),
                CalibrationAfter = result.GetValue(calibrationAfter),
                NoisyPixel = result.GetValue(noisyPixel),
                NoiseFactor = result.GetValue(noiseFactor),
                SpurPixel = result.GetValue(spurPixel),
                SpurAmplitudeSigma = result.GetValue(spurAmplitude),
            };

            // A factor or amplitude given without its pixel would change nothing; say so rather than ignore it.
            var problem = options.Validate()
                ?? (options.NoisyPixel is null && result.GetResult(noiseFactor) is { Implicit: false } ? "--noise-factor needs --noisy-pixel" : null)
                ?? (options.SpurPixel is null && result.GetResult(spurAmplitude) is { Implicit: false } ? "--spur-amplitude needs --spur-pixel" : null);
            if (problem is not null)
            {
                Console.Error.WriteLine($"scanflow simulate: {problem}");
                return 1;
            }

            return Run(options);
        });
        return command;
    }

    private static int Run(SimulationOptions options)
    {
        if (options.Validate() is { } problem)
        {
            Console.Error.WriteLine($"scanflow simulate: {problem}");
            return 1;
        }

        try
        {
            var truth = ScanSimulator.Run(options, Console.WriteLine);
            Console.WriteLine($"truth: {Path.Combine(options.OutputDirectory, SimulationTruth.FileName)} ({truth.Calibrations.Count} calibration, {truth.Science.Count} science scans in all)");
            return 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Program prints the sentence; an ArgumentException from the simulator goes there as it is.
            throw new UserErrorException($"cannot write the simulated scans to {options.OutputDirectory} ({e.Message.TrimEnd('.')}); set --output to a directory scanflow may write to", e);
        }
    }
}

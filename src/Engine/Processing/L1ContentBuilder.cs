using Scanflow.Engine.Formats;
using Scanflow.Engine.Model;
using Scanflow.Engine.Science;

namespace Scanflow.Engine.Processing;

/// <summary>Assembles the L1 attributes and small datasets of a science scan from its calibration context.</summary>
internal static class L1ContentBuilder
{
    public static L1Content Build(ScienceScanContext context, CalibrationOptions options, string inputSha256, DateTimeOffset createdUtc)
    {
        var reader = context.Reader;
        var header = reader.Header;
        var calibration = context.Calibration;
        var solution = context.Solution;
        var fit = calibration.Fit;
        var sky = calibration.Sky;
        CalibrationProducts[] calibrations = context.LaterCalibration is { } later ? [calibration, later] : [calibration];
        return new L1Content
        {
            Attributes = new L1Attributes
            {
                ScanId = header.ScanId,
                Band = ModelNames.Of(header.Band),
                Source = header.Source,
                Project = header.Project,
                ObsMode = ModelNames.Of(header.ObsMode!.Value),
                LoFrequencyHz = header.LoFrequencyHz,
                Sideband = ModelNames.Of(header.Sideband),
                CalibrationScanIds = [.. calibrations.Select(c => c.Header.ScanId)],
                PwvMm = solution.PwvMm,
                PwvErrorMm = fit.PwvErrorMm,
                AtmosphereFitRmsK = fit.ResidualRmsK,
                AtmosphereFitStatus = fit.Status == AtmosphereFitStatus.Ok ? "ok" : "failed",
                JMode = JModeNames.Of(options.JMode),
                ForwardEfficiency = calibration.Header.ForwardEfficiency,
                SidebandGainRatio = calibration.Header.SidebandGainRatio,
                AtmosphereModel = sky.Model.Id,
                AtmosphereTemperatureK = sky.Conditions.AtmosphereTemperatureK,
                EngineVersion = EngineInfo.Version,
                ConfigSha256 = options.Sha256(),
                ConfigJson = options.ToJson(),
                InputSha256 = inputSha256,
                CalibrationInputSha256 = [.. calibrations.Select(c => c.InputSha256)],
                CreatedUtc = createdUtc,
                PwvNote = context.PwvNote ?? "",
                GainInterpolation = GainInterpolationNames.Of(options.GainInterpolation),
                GainInterpolationNote = context.GainInterpolationNote,
            },
            FrequencyHz = sky.Axis.SignalFrequencyHz,
            ImageFrequencyHz = sky.Axis.ImageFrequencyHz,
            PixelIds = reader.PixelIds,
            Mjd = reader.OnMjd,
            ElevationDeg = reader.OnElevationDeg,
            OffsetArcsec = reader.OnOffsetArcsec,
            SystemTemperatureK = solution.SystemTemperatureK,
            ReceiverTemperatureK = ToFloat(calibration.Loads.ReceiverTemperatureK),
            CalibrationTemperatureK = solution.CalibrationTemperatureK,
            SkyTemperatureK = ToFloat(calibration.Loads.SkyTemperatureK),
            TauSignal = ToFloat(solution.TauSignal),
            TauImage = ToFloat(solution.TauImage),
            TransmissionSignal = ToFloat(solution.TransmissionSignal),
            TransmissionImage = ToFloat(solution.TransmissionImage),
            PixelPwvMm = ToFloat(fit.PixelPwvMm),
            ChannelFlags = context.ChannelFlags,
            DumpFlags = context.DumpFlags,
        };
    }

    private static float[] ToFloat(double[] values) => Array.ConvertAll(values, L1Format.Stored);
}

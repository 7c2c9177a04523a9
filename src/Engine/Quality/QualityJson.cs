using System.Buffers;
using System.Text.Json;
using Scanflow.Engine.Formats;
using Scanflow.Engine.Ledger;
using Scanflow.Engine.Model;

namespace Scanflow.Engine.Quality;

/// <summary><c>scan_&lt;id&gt;_&lt;BAND&gt;.qa.json</c> (product type QA_METRIC; docs/formats.md): a scan's QA metrics, one
/// JSON object. A value that does not exist (a median over no channel) is <c>null</c>.</summary>
internal static class QualityJson
{
    public const string Format = "scanflow-qa";

    public const int Version = 1;

    public const string Suffix = L1FileNaming.QaSuffix;

    /// <summary>Writes the QA of the scan whose L1 file will be <paramref name="l1Path"/> beside it.</summary>
    public static ProductFile Publish(ScanQuality quality, string l1Path) =>
        SidecarFile.Publish(SidecarFile.PathFor(l1Path, Suffix), ProductTypes.QaMetric, Serialize(quality, Path.GetFileName(l1Path)));

    private static byte[] Serialize(ScanQuality q, string l1FileName)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            Write(q, l1FileName, json);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void Write(ScanQuality q, string l1FileName, Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteString("format", Format);
        json.WriteNumber("version", Version);
        json.WriteNumber("scan_id", q.ScanId);
        json.WriteString("band", ModelNames.Of(q.Band));
        json.WriteString("obs_mode", ModelNames.Of(q.Mode));
        json.WriteString("source", q.Source);
        json.WriteString("l1_file", l1FileName);
        json.WriteStartArray("calibration_scan_ids");
        foreach (var id in q.CalibrationScanIds)
        {
            json.WriteNumberValue(id);
        }

        json.WriteEndArray();
        Number(json, "pwv_mm", q.PwvMm);
        Number(json, "pwv_err_mm", q.PwvErrorMm);
        Number(json, "atm_fit_rms_k", q.AtmosphereFitRmsK);
        json.WriteString("atm_fit_status", q.AtmosphereFitStatus);
        Number(json, "airmass_mean", q.MeanAirmass);
        Number(json, "airmass_min", q.MinAirmass);
        Number(json, "airmass_max", q.MaxAirmass);
        json.WriteNumber("dumps", q.Dumps);
        json.WriteStartObject("dumps_flagged");
        json.WriteNumber("off_extrapolated", q.DumpsFlaggedByBit[0]);
        json.WriteNumber("low_elevation", q.DumpsFlaggedByBit[1]);
        json.WriteNumber("invalid_counts", q.DumpsFlaggedByBit[2]);
        json.WriteEndObject();
        json.WriteStartObject("channel_fraction_flagged");
        Number(json, "bad_channel", q.ChannelFractionFlaggedByBit[0]);
        Number(json, "bad_pixel", q.ChannelFractionFlaggedByBit[1]);
        Number(json, "atmosphere_core", q.ChannelFractionFlaggedByBit[2]);
        Number(json, "any", q.ChannelFractionFlagged);
        json.WriteEndObject();
        Number(json, "suspect_radiometer_ratio", q.SuspectRadiometerRatio);
        Number(json, "worst_radiometer_ratio", q.WorstRadiometerRatio);
        json.WriteStartArray("suspect_pixels");
        foreach (var pixel in q.Pixels.Where(p => p.Suspect))
        {
            json.WriteNumberValue(pixel.PixelId);
        }

        json.WriteEndArray();
        json.WriteStartArray("pixels");
        foreach (var pixel in q.Pixels)
        {
            json.WriteStartObject();
            json.WriteNumber("pixel_id", pixel.PixelId);
            Number(json, "tsys_median_k", pixel.MedianSystemTemperatureK);
            Number(json, "trx_median_k", pixel.MedianReceiverTemperatureK);
            Number(json, "flagged_channel_fraction", pixel.FlaggedChannelFraction);
            Number(json, "radiometer_ratio", pixel.RadiometerRatio);
            json.WriteBoolean("suspect", pixel.Suspect);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void Number(Utf8JsonWriter json, string name, double value)
    {
        if (double.IsFinite(value))
        {
            json.WriteNumber(name, value);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}

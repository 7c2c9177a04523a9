using Scanflow.Engine.Formats;
using Scanflow.Engine.Formats.Hdf5;

namespace Scanflow.Engine.Simulation;

/// <summary>How far an L1 product's T_A* is from the source the simulator injected, over every unflagged sample.</summary>
public sealed record TruthComparison(
    long ScanId, double PwvMm, double TruePwvMm, double PeakTruthK, double PeakRecoveredK, double MaxAbsResidualK, double RmsResidualK, long Samples)
{
    /// <summary>Reads <c>/ta_star</c> dump by dump and compares it with T_src at each dump's offset and channel.</summary>
    public static TruthComparison Compare(string l1Path, SimulationTruth truth)
    {
        using var file = Hdf5File.OpenRead(l1Path);
        var scanId = file.ReadInt64Attribute("scan_id");
        var science = truth.Science.Single(s => s.ScanId == scanId);
        var frequency = file.ReadDataset<double>(L1Format.FrequencyDataset);
        var offsets = file.ReadDataset<double>(L1Format.OffsetDataset);
        using var taStar = file.OpenDataset(L1Format.TaStarDataset);
        var (dumps, pixels, channels) = ((int)taStar.Dimensions[0], (int)taStar.Dimensions[1], (int)taStar.Dimensions[2]);
        var spectrum = frequency.Select(science.Source.Spectrum).ToArray();
        var peakChannel = Array.IndexOf(spectrum, spectrum.Max());
        var dump = new float[pixels * channels];
        double maxAbs = 0, sumSquares = 0, peakRecovered = 0, peakTruth = 0;
        long samples = 0, peakSamples = 0;
        for (var d = 0; d < dumps; d++)
        {
            taStar.Read<float>(dump, [d, 0, 0], [1, pixels, channels]);
            var spatial = science.Source.SpatialFactor(offsets[2 * d], offsets[(2 * d) + 1]);
            for (var p = 0; p < pixels; p++)
            {
                for (var k = 0; k < channels; k++)
                {
                    var value = dump[(p * channels) + k];
                    if (!float.IsFinite(value))
                    {
                        continue;
                    }

                    var residual = value - (spatial * spectrum[k]);
                    maxAbs = Math.Max(maxAbs, Math.Abs(residual));
                    sumSquares += residual * residual;
                    samples++;
                    if (k == peakChannel)
                    {
                        peakRecovered += value;
                        peakTruth += spatial * spectrum[k];
                        peakSamples++;
                    }
                }
            }
        }

        var n = Math.Max(1, peakSamples);
        return new TruthComparison(
            scanId, file.ReadDoubleAttribute("pwv_mm"), truth.CalibrationOf(science).PwvMm, peakTruth / n, peakRecovered / n, maxAbs,
            Math.Sqrt(sumSquares / Math.Max(1, samples)), samples);
    }
}

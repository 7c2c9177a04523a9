using Scanflow.Engine.Model;

namespace Scanflow.Engine.Simulation;

/// <summary>The simulator's tuning per band (calibration.md §7.7): LFA LO 475 GHz USB, HFA LO 812 GHz LSB, IF 4–8 GHz.</summary>
internal static class BandSetup
{
    public const double IfStartHz = 4e9;
    public const double IfBandwidthHz = 4e9;

    public static double LoFrequencyHz(Band band) => band == Band.Lfa ? 475e9 : 812e9;

    public static Sideband SignalSideband(Band band) => band == Band.Lfa ? Sideband.Usb : Sideband.Lsb;

    /// <summary>IF_k = 4 GHz + (k + ½)·4 GHz/N.</summary>
    public static double[] IntermediateFrequencies(int channels)
    {
        var result = new double[channels];
        for (var k = 0; k < channels; k++)
        {
            result[k] = IfStartHz + ((k + 0.5) * IfBandwidthHz / channels);
        }

        return result;
    }
}

using Scanflow.Engine.Science;

namespace Scanflow.Engine.Processing;

/// <summary>The §7.3 airmass factors of the few dumps being calibrated now, computed once per dump: a dump cut into
/// blocks of pixel rows needs them in every block, and one exp per channel costs more than a small block's kernel.
/// The arrays handed out are never written again, so a block may keep using one after it left the cache.</summary>
internal sealed class AirmassFactorCache(double[] tauSignal, double meanAirmass, int capacity = 4)
{
    private readonly Lock _gate = new();
    private readonly LinkedList<(int Dump, float[]? Factors)> _recent = new();

    /// <summary>exp(−τ_s·(A_mean − A)) per channel for dump <paramref name="dump"/> at airmass <paramref name="airmass"/>,
    /// or null when the dump needs no correction.</summary>
    public float[]? Get(int dump, double airmass)
    {
        lock (_gate)
        {
            for (var node = _recent.First; node is not null; node = node.Next)
            {
                if (node.Value.Dump == dump)
                {
                    return node.Value.Factors;
                }
            }

            var factors = new float[tauSignal.Length];
            var entry = (dump, AntennaTemperatureKernel.AirmassFactors(tauSignal, meanAirmass, airmass, factors) ? factors : null);
            _recent.AddFirst(entry);
            if (_recent.Count > capacity)
            {
                _recent.RemoveLast();
            }

            return entry.Item2;
        }
    }
}

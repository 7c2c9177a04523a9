namespace Scanflow.Engine.Simulation;

/// <summary>Seeded standard-normal deviates (Box–Muller on <see cref="Random"/>, whose seeded sequence is stable).</summary>
internal sealed class GaussianNoise(int seed)
{
    private readonly Random _random = new(seed);
    private double _spare = double.NaN;

    public double Next()
    {
        if (!double.IsNaN(_spare))
        {
            var spare = _spare;
            _spare = double.NaN;
            return spare;
        }

        var u1 = 1.0 - _random.NextDouble();
        var u2 = _random.NextDouble();
        var radius = Math.Sqrt(-2.0 * Math.Log(u1));
        _spare = radius * Math.Sin(2 * Math.PI * u2);
        return radius * Math.Cos(2 * Math.PI * u2);
    }

    public double Uniform(double low, double high) => low + ((high - low) * _random.NextDouble());

    public int Integer(int low, int highExclusive) => _random.Next(low, highExclusive);
}

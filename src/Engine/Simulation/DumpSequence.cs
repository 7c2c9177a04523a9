using Scanflow.Engine.Model;

namespace Scanflow.Engine.Simulation;

/// <summary>The time order of OFF and ON dumps in a simulated science scan (calibration.md §3.3): TP alternates single
/// OFF dumps with groups of ON dumps; OTF brackets rows of ON dumps with OFF blocks of two dumps.</summary>
internal sealed class DumpSequence
{
    private DumpSequence(double[] offMjd, double[] onMjd, int[] onRow, int rows)
    {
        OffMjd = offMjd;
        OnMjd = onMjd;
        OnRow = onRow;
        Rows = rows;
    }

    public double[] OffMjd { get; }

    public double[] OnMjd { get; }

    /// <summary>The row (ON group) each ON dump belongs to.</summary>
    public int[] OnRow { get; }

    public int Rows { get; }

    public double DurationSeconds { get; private init; }

    public static DumpSequence Create(ObsMode mode, int offDumps, int onDumps, double offSeconds, double onSeconds, double startMjd)
    {
        var offBlockSize = mode == ObsMode.OnTheFly && offDumps >= 4 ? 2 : 1;
        var offGroups = Split(offDumps, Math.Max(1, offDumps / offBlockSize));
        var onGroups = Split(onDumps, Math.Max(1, offGroups.Length - 1));
        var offMjd = new List<double>(offDumps);
        var onMjd = new List<double>(onDumps);
        var onRow = new List<int>(onDumps);
        var t = 0.0;
        for (var g = 0; g < Math.Max(offGroups.Length, onGroups.Length); g++)
        {
            for (var i = 0; g < offGroups.Length && i < offGroups[g]; i++, t += offSeconds)
            {
                offMjd.Add(startMjd + (t + offSeconds / 2) / 86400.0);
            }

            for (var i = 0; g < onGroups.Length && i < onGroups[g]; i++, t += onSeconds)
            {
                onMjd.Add(startMjd + (t + onSeconds / 2) / 86400.0);
                onRow.Add(g);
            }
        }

        return new DumpSequence([.. offMjd], [.. onMjd], [.. onRow], onGroups.Length) { DurationSeconds = t };
    }

    /// <summary>Splits <paramref name="total"/> into <paramref name="parts"/> near-equal positive sizes (larger ones last).</summary>
    private static int[] Split(int total, int parts)
    {
        parts = Math.Min(parts, total);
        var sizes = new int[parts];
        for (var i = 0; i < parts; i++)
        {
            sizes[i] = total / parts + (i >= parts - total % parts ? 1 : 0);
        }

        return sizes;
    }
}

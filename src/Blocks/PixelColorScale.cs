using ScottPlot;

namespace Scanflow.Blocks;

/// <summary>The colour of each pixel's line when there are too many pixels for a legend (CHAI has 64): a colormap over
/// the pixel ids, shown as a colour bar labelled with them.</summary>
internal sealed class PixelColorScale(int firstPixelId, int lastPixelId) : IHasColorAxis
{
    public IColormap Colormap { get; set; } = new ScottPlot.Colormaps.Turbo();

    public ScottPlot.Range GetRange() => new(firstPixelId, Math.Max(lastPixelId, firstPixelId + 1));

    public Color ColorOf(int pixelId)
    {
        var range = GetRange();
        return Colormap.GetColor((pixelId - range.Min) / (range.Max - range.Min));
    }
}

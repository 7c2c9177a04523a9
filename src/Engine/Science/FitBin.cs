namespace Scanflow.Engine.Science;

/// <summary>
/// One channel bin of one pixel in the PWV fit (calibration.md §7.5): the mean T_sky_meas over the bin's
/// unflagged channels, and σ_bin. <see cref="Channels"/> is null when every channel of [Start, End) is used.
/// </summary>
internal sealed record FitBin(int Pixel, int Bin, int Start, int End, int[]? Channels, double Data, double Sigma)
{
    public double Weight { get; } = 1.0 / (Sigma * Sigma);

    public int Count => Channels?.Length ?? End - Start;

    public ReadOnlySpan<int> ChannelList => Channels;
}

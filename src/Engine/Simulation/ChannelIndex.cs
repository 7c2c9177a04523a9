namespace Scanflow.Engine.Simulation;

/// <summary>One channel of one pixel.</summary>
public sealed record ChannelIndex(int Pixel, int Channel);

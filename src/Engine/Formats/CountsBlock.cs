namespace Scanflow.Engine.Formats;

/// <summary>A block of a scan's ON dumps: every channel of pixels [<see cref="FirstPixel"/>, + <see cref="Pixels"/>) in
/// dumps [<see cref="FirstDump"/>, + <see cref="Dumps"/>). Either whole dumps or part of one dump, so it is one hyperslab
/// of <c>/on/counts</c> and of <c>/ta_star</c>, held dump by dump, pixel row by pixel row.</summary>
internal readonly record struct CountsBlock(int FirstDump, int Dumps, int FirstPixel, int Pixels)
{
    /// <summary>Values in the block for <paramref name="channels"/> channels.</summary>
    public int Length(int channels) => Dumps * Pixels * channels;
}

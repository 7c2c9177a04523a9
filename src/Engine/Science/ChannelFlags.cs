using System.Diagnostics.CodeAnalysis;

namespace Scanflow.Engine.Science;

/// <summary>The L1 <c>/channel_flag</c> bits (calibration.md §7.4, formats.md).</summary>
[Flags]
[SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "Named after the L1 dataset channel_flag.")]
[SuppressMessage("Design", "CA1028:Enum storage should be Int32", Justification = "The L1 dataset is uint8.")]
internal enum ChannelFlags : byte
{
    None = 0,

    /// <summary>Bit 0: Y ≤ 1.02, T_rx &lt; 0, T_rx &gt; 5× the channel median over pixels, or non-finite.</summary>
    BadChannel = 1,

    /// <summary>Bit 1: more than 50 % of the pixel's channels are bad; set on all its channels.</summary>
    BadPixel = 2,

    /// <summary>Bit 2: t_s &lt; 0.05 at the science scan's mean ON airmass.</summary>
    AtmosphereCore = 4,
}

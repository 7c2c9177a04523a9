using System.Diagnostics.CodeAnalysis;

namespace Scanflow.Engine.Science;

/// <summary>The L1 <c>/dump_flag</c> bits (calibration.md §7.4, formats.md).</summary>
[Flags]
[SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "Named after the L1 dataset dump_flag.")]
[SuppressMessage("Design", "CA1028:Enum storage should be Int32", Justification = "The L1 dataset is uint8.")]
internal enum DumpFlags : byte
{
    None = 0,

    /// <summary>Bit 0: the ON lies outside the OFF span and used the nearest reference (§7.2).</summary>
    OffExtrapolated = 1,

    /// <summary>Bit 1: elevation below 15° (§2.3); T_A* is NaN.</summary>
    LowElevation = 2,

    /// <summary>Bit 2: that dump's ON counts for that pixel are all zero or hold a non-finite value; T_A* is NaN.</summary>
    InvalidCounts = 4,
}

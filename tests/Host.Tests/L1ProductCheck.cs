namespace Scanflow.Host.Tests;

/// <summary>What an h5py reading of one L1 product found (see <see cref="DamagedCountsStore"/>): float datasets holding
/// ±inf, the (dump, pixel) pairs with dump_flag bit 2, the dumps with bit 0, the (pixel, channel) pairs with channel_flag
/// bit 0, the pixels with bit 1, whether T_A* is NaN wherever a flag says so, and the T_A* values no flag covers.</summary>
internal sealed record L1ProductCheck(
    string[] InfiniteDatasets,
    int[][] InvalidCounts,
    int[] OffExtrapolatedDumps,
    int[][] BadChannels,
    int[] BadPixels,
    bool NanWhereFlagged,
    int Unflagged,
    int UnflaggedNotFinite,
    double? UnflaggedMin);

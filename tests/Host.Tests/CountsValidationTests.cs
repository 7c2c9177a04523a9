namespace Scanflow.Host.Tests;

/// <summary>Issue 10 item 3: zero-filled and non-finite counts, written by another tool, calibrated by the real process.
/// Flags as formats.md documents them (<c>/dump_flag</c> bit 2, <c>/channel_flag</c> bits 0 and 1), no ±inf anywhere,
/// and a scan or calibration with nothing usable fails with one sentence.</summary>
public sealed class CountsValidationTests(DamagedCountsStore store) : IClassFixture<DamagedCountsStore>
{
    private const int Pixels = 4;

    [Fact]
    public void Calibrate_exits_2_with_exactly_the_unusable_scans_failed_10()
    {
        Assert.True(store.Calibration.ExitCode == 2, store.Calibration.Output + store.Calibration.Errors);
        Assert.Equal([6L, 7L, 61L], store.Failures.Keys.Order());
        Assert.Equal([2L, 3L, 4L, 5L, 8L, 51L], store.Products.Keys.Order());
    }

    [Fact]
    public void No_product_holds_infinity_or_an_unflagged_value_below_minus_50_K_10()
    {
        foreach (var (scan, product) in store.Products)
        {
            Assert.True(product.InfiniteDatasets.Length == 0, $"scan {scan}: ±inf in {string.Join(", ", product.InfiniteDatasets)}");
            Assert.True(product.NanWhereFlagged, $"scan {scan}: a flagged T_A* value is not NaN");
            Assert.True(product.Unflagged > 0, $"scan {scan}: nothing is left unflagged");
            Assert.True(product.UnflaggedNotFinite == 0, $"scan {scan}: {product.UnflaggedNotFinite} unflagged T_A* values are NaN");
            Assert.True(product.UnflaggedMin > -50, $"scan {scan}: an unflagged T_A* of {product.UnflaggedMin} K");
        }
    }

    [Fact]
    public void Zero_filled_ON_dumps_get_invalid_counts_per_pixel_10()
    {
        int[][] expected = [.. Enumerable.Range(10, 10).SelectMany(d => Enumerable.Range(0, Pixels).Select(p => new[] { d, p })), [30, 2]];

        Assert.Equal(expected, store.Products[2].InvalidCounts);
    }

    [Fact]
    public void Infinite_and_NaN_ON_counts_flag_only_their_dump_and_pixel_10()
    {
        Assert.Equal([[5, 1], [6, 2], [8, 0]], store.Products[3].InvalidCounts);
    }

    [Fact]
    public void NaN_in_OFF_flags_the_channel_or_the_whole_pixel_10()
    {
        var product = store.Products[4];

        Assert.Equal([1], product.BadPixels);
        Assert.Contains([2, 10], product.BadChannels);
        Assert.Empty(product.InvalidCounts);
    }

    [Fact]
    public void Zero_filled_or_infinite_OFF_flags_the_pixel_or_the_channel_10()
    {
        var product = store.Products[8];

        Assert.Equal([3], product.BadPixels);
        Assert.Contains([0, 20], product.BadChannels);
    }

    [Fact]
    public void Half_written_file_keeps_its_written_dumps_and_flags_the_rest_10()
    {
        var product = store.Products[5];
        int[][] unwritten = [.. Enumerable.Range(51, 49).SelectMany(d => Enumerable.Range(0, Pixels).Select(p => new[] { d, p }))];

        Assert.Equal(unwritten, product.InvalidCounts);
        Assert.Empty(product.BadPixels);

        // The unwritten OFF dumps are left out: the dumps after the last written one use it (bit 0).
        Assert.Contains(51, product.OffExtrapolatedDumps);
    }

    [Fact]
    public void Scan_with_ON_and_OFF_all_zero_fails_permanently_with_one_sentence_10()
    {
        var failure = store.Failures[6];

        Assert.Contains("scan 6 cannot be calibrated: all of its 11 OFF dumps are all zero; check /off/counts", failure.Reason, StringComparison.Ordinal);
        AssertOneSentence(failure.Reason);
        Assert.Equal("PERMANENT", store.FailureKinds[6]);
    }

    [Fact]
    public void Scan_with_no_valid_ON_dump_fails_permanently_with_one_sentence_10()
    {
        var failure = store.Failures[7];

        Assert.Contains("scan 7 cannot be calibrated: none of its 100 ON dumps has valid counts for any pixel", failure.Reason, StringComparison.Ordinal);
        AssertOneSentence(failure.Reason);
        Assert.Equal("PERMANENT", store.FailureKinds[7]);
        Assert.False(File.Exists(Path.Combine(store.Output, "scan_000007_LFA.l1.h5")));
    }

    [Fact]
    public void NaN_infinite_and_zero_filled_loads_flag_their_channels_and_pixels_10()
    {
        var product = store.Products[51];

        Assert.Contains([0, 5], product.BadChannels);
        Assert.Contains([2, 9], product.BadChannels);
        Assert.Equal([1], product.BadPixels);
    }

    [Fact]
    public void Calibration_with_a_load_never_written_fails_with_one_sentence_10()
    {
        var failure = store.Failures[61];

        Assert.Equal(("load", 60L), (failure.Stage, failure.CalibrationScanId!.Value));
        Assert.Contains("scan_000060_LFA_cal.h5: /hot/counts: every pixel has a dump whose counts are all zero", failure.Reason, StringComparison.Ordinal);
        AssertOneSentence(failure.Reason);
    }

    private static void AssertOneSentence(string reason)
    {
        Assert.DoesNotContain('\n', reason);
        Assert.DoesNotContain(" at Scanflow.", reason, StringComparison.Ordinal);
    }
}

using Scanflow.Engine.Model;
using Scanflow.Engine.Science;

namespace Scanflow.Engine.Tests.Science;

public class OffReferenceTests
{
    [Fact]
    public void Total_power_makes_every_OFF_dump_a_reference_in_time_order()
    {
        var reference = OffReference.Build(ObsMode.TotalPower, [60020.0, 60000.0, 60010.0], [60005.0, 60015.0]);

        Assert.Equal([1, 2, 0], reference.References.Select(r => r.OffDumpIndices.Single()));
        Assert.Equal([60000.0, 60010.0, 60020.0], reference.References.Select(r => r.MeanMjd));
    }

    [Fact]
    public void OFF_dumps_left_out_are_never_referenced_and_later_ONs_use_the_last_one_kept_10()
    {
        // OTF: OFF dumps 0–1, an ON row, OFF dumps 2–3, an ON row, OFF dump 4 (never written).
        var reference = OffReference.Build(ObsMode.OnTheFly, [0.0, 1.0, 10.0, 11.0, 20.0], [5.0, 15.0], [0, 2, 3]);

        Assert.Equal([[0], [2, 3]], reference.References.Select(r => r.OffDumpIndices));
        Assert.Equal([0.0, 10.5], reference.References.Select(r => r.MeanMjd));
        Assert.Equal(new OffInterpolation(1, 1, 1f, 0f, true), reference.For(15.0));
    }

    [Theory]
    [InlineData(60005.0, 0, 1, 0.5, 0.5)]
    [InlineData(60012.5, 1, 2, 0.75, 0.25)]
    [InlineData(60019.0, 1, 2, 0.1, 0.9)]
    public void Total_power_interpolates_linearly_between_the_bracketing_OFFs(double onMjd, int before, int after, double weightBefore, double weightAfter)
    {
        var reference = OffReference.Build(ObsMode.TotalPower, [60000.0, 60010.0, 60020.0], [onMjd]);

        var interpolation = reference.For(onMjd);

        Assert.Equal(before, interpolation.Before);
        Assert.Equal(after, interpolation.After);
        Assert.Equal(weightBefore, interpolation.WeightBefore, 1e-12);
        Assert.Equal(weightAfter, interpolation.WeightAfter, 1e-12);
        Assert.False(interpolation.Extrapolated);
    }

    [Theory]
    [InlineData(60000.0, 0)]
    [InlineData(60010.0, 1)]
    [InlineData(60020.0, 2)]
    public void An_ON_exactly_at_a_reference_uses_it_with_weight_one(double onMjd, int index)
    {
        var reference = OffReference.Build(ObsMode.TotalPower, [60000.0, 60010.0, 60020.0], []);

        Assert.Equal(new OffInterpolation(index, index, 1f, 0f, false), reference.For(onMjd));
    }

    [Fact]
    public void ONs_outside_the_OFF_span_use_the_nearest_reference_and_are_flagged_extrapolated()
    {
        var reference = OffReference.Build(ObsMode.TotalPower, [60000.0, 60010.0, 60020.0], []);

        Assert.Equal(new OffInterpolation(0, 0, 1f, 0f, true), reference.For(59999.0));
        Assert.Equal(new OffInterpolation(2, 2, 1f, 0f, true), reference.For(60020.5));
    }

    [Fact]
    public void With_a_single_OFF_every_ON_is_extrapolated()
    {
        var reference = OffReference.Build(ObsMode.OnTheFly, [60010.0], [60000.0, 60010.0, 60020.0]);

        Assert.Single(reference.References);
        Assert.All([60000.0, 60010.0, 60020.0], on => Assert.Equal(new OffInterpolation(0, 0, 1f, 0f, true), reference.For(on)));
    }

    [Fact]
    public void On_the_fly_groups_OFF_runs_between_rows_into_blocks_at_their_mean_time()
    {
        double[] off = [1.0, 2.0, 3.0, 11.0, 12.0, 21.0, 22.0, 23.0];
        double[] on = [.. Enumerable.Range(4, 7).Select(t => (double)t), .. Enumerable.Range(13, 8).Select(t => (double)t)];

        var reference = OffReference.Build(ObsMode.OnTheFly, off, on);

        Assert.Equal(3, reference.References.Count);
        Assert.Equal([0, 1, 2], reference.References[0].OffDumpIndices);
        Assert.Equal([3, 4], reference.References[1].OffDumpIndices);
        Assert.Equal([5, 6, 7], reference.References[2].OffDumpIndices);
        Assert.Equal([2.0, 11.5, 22.0], reference.References.Select(r => r.MeanMjd));

        var interpolation = reference.For(5.0);
        Assert.Equal(0, interpolation.Before);
        Assert.Equal(1, interpolation.After);
        Assert.Equal(6.5 / 9.5, interpolation.WeightBefore, 1e-12);
        Assert.Equal(3.0 / 9.5, interpolation.WeightAfter, 1e-12);
        Assert.False(interpolation.Extrapolated);
    }

    [Fact]
    public void On_the_fly_ONs_before_the_first_block_mean_are_extrapolated_from_it()
    {
        // An OTF row that starts before the mean time of the first OFF block (OFFs bracket it as 1.0, then 2.5).
        var reference = OffReference.Build(ObsMode.OnTheFly, [0.0, 2.0, 10.0], [3.0, 4.0]);

        Assert.Equal([1.0, 10.0], reference.References.Select(r => r.MeanMjd));
        Assert.Equal(new OffInterpolation(0, 0, 1f, 0f, true), reference.For(0.5));
        Assert.False(reference.For(3.0).Extrapolated);
    }

    [Fact]
    public void Accumulate_then_Mean_is_the_mean_of_the_block_in_double()
    {
        const int length = 2500;
        const int dumps = 4;
        var mean = new double[length];
        var dump = new float[length];
        for (int d = 0; d < dumps; d++)
        {
            for (int j = 0; j < length; j++)
            {
                dump[j] = 16777216f + (d * 2f) + j; // 2^24: float sums would round
            }

            OffReference.Accumulate(dump, mean);
        }

        OffReference.Mean(mean, dumps);

        for (int j = 0; j < length; j++)
        {
            Assert.Equal(16777216.0 + 3.0 + j, mean[j]);
        }
    }

    [Fact]
    public void Accumulate_rejects_a_sum_that_is_not_one_dump_long()
    {
        Assert.Throws<ArgumentException>(() => OffReference.Accumulate(new float[3], new double[7]));
    }
}

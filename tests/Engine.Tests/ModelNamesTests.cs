using Scanflow.Engine.Model;

namespace Scanflow.Engine.Tests;

public class ModelNamesTests
{
    [Theory]
    [InlineData("LFA", Band.Lfa)]
    [InlineData("hfa", Band.Hfa)]
    public void TryParseBand_accepts_format_spelling_in_any_case(string text, Band expected)
    {
        Assert.True(ModelNames.TryParseBand(text, out var band));
        Assert.Equal(expected, band);
        Assert.Equal(text.ToUpperInvariant(), ModelNames.Of(band));
    }

    [Fact]
    public void TryParseBand_rejects_unknown_band()
    {
        Assert.False(ModelNames.TryParseBand("CFA", out _));
    }
}

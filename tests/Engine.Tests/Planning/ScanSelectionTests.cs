using Scanflow.Engine.Model;
using Scanflow.Engine.Planning;

namespace Scanflow.Engine.Tests.Planning;

public class ScanSelectionTests
{
    [Fact]
    public void Parse_reads_every_documented_form()
    {
        var selection = ScanSelection.Parse(["band=hfa", "source=OrionKL", "scan=100-200", "mjd=61367.0-61367.5"]);

        Assert.Equal(Band.Hfa, selection.Band);
        Assert.Equal("OrionKL", selection.Source);
        Assert.Equal(100, selection.FirstScanId);
        Assert.Equal(200, selection.LastScanId);
        Assert.Equal(61367.0, selection.FromMjd);
        Assert.Equal(61367.5, selection.ToMjd);
    }

    [Fact]
    public void Parse_takes_a_single_scan_id_as_a_one_scan_range()
    {
        var selection = ScanSelection.Parse(["scan=150"]);

        Assert.Equal(150, selection.FirstScanId);
        Assert.Equal(150, selection.LastScanId);
        Assert.Equal("scan=150", selection.Describe());
    }

    [Fact]
    public void Parse_of_no_terms_selects_everything()
    {
        var selection = ScanSelection.Parse([]);

        Assert.Equal(new ScanSelection(), selection);
        Assert.Equal("all scans", selection.Describe());
        Assert.True(selection.Matches(TestHeaders.Science(1, 0)));
    }

    [Theory]
    [InlineData("band=XFA")]
    [InlineData("band=")]
    [InlineData("source=")]
    [InlineData("scan=abc")]
    [InlineData("scan=200-100")]
    [InlineData("scan=-5")]
    [InlineData("scan=100-")]
    [InlineData("mjd=61367.5")]
    [InlineData("mjd=61367.5-61367.0")]
    [InlineData("mjd=x-y")]
    [InlineData("elevation=40")]
    [InlineData("LFA")]
    public void Parse_rejects_a_bad_term_with_a_sentence_naming_it_and_the_allowed_forms(string term)
    {
        var error = Assert.Throws<ArgumentException>(() => ScanSelection.Parse([term]));

        Assert.Contains($"'{term}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("band=LFA|HFA, source=NAME, scan=ID, scan=FIRST-LAST, mjd=FROM-TO", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_rejects_a_criterion_given_twice()
    {
        var error = Assert.Throws<ArgumentException>(() => ScanSelection.Parse(["band=LFA", "band=HFA"]));

        Assert.Contains("'band=HFA'", error.Message, StringComparison.Ordinal);
        Assert.Contains("at most once", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_output_parses_back_to_the_same_selection()
    {
        var selection = new ScanSelection { Band = Band.Lfa, Source = "W3(OH)", FirstScanId = 100, LastScanId = 200, FromMjd = 61367, ToMjd = 61367.25 };

        Assert.Equal("band=LFA, source=W3(OH), scan=100-200, mjd=61367.0-61367.25", selection.Describe());
        Assert.Equal(selection, ScanSelection.Parse([selection.Describe()]));
    }

    [Fact]
    public void Describe_names_one_sided_ranges()
    {
        Assert.Equal("scan>=100, mjd<=61367.5", new ScanSelection { FirstScanId = 100, ToMjd = 61367.5 }.Describe());
    }

    [Fact]
    public void Matches_band_only_when_equal()
    {
        var selection = new ScanSelection { Band = Band.Lfa };

        Assert.True(selection.Matches(TestHeaders.Science(1, 0, Band.Lfa)));
        Assert.False(selection.Matches(TestHeaders.Science(1, 0, Band.Hfa, 812e9, Sideband.Lsb)));
    }

    [Fact]
    public void Matches_source_case_insensitively_but_exactly()
    {
        var selection = new ScanSelection { Source = "orionkl" };

        Assert.True(selection.Matches(TestHeaders.Science(1, 0, source: "OrionKL")));
        Assert.False(selection.Matches(TestHeaders.Science(1, 0, source: "OrionKL-2")));
        Assert.False(selection.Matches(TestHeaders.Science(1, 0, source: "Orion")));
    }

    [Fact]
    public void Matches_scan_ids_inclusive_at_both_ends()
    {
        var selection = ScanSelection.Parse(["scan=100-200"]);

        Assert.False(selection.Matches(TestHeaders.Science(99, 0)));
        Assert.True(selection.Matches(TestHeaders.Science(100, 0)));
        Assert.True(selection.Matches(TestHeaders.Science(200, 0)));
        Assert.False(selection.Matches(TestHeaders.Science(201, 0)));
    }

    [Fact]
    public void Matches_start_mjd_inclusive_at_both_ends()
    {
        var selection = new ScanSelection { FromMjd = TestHeaders.Mjd0 + (10 / 1440.0), ToMjd = TestHeaders.Mjd0 + (20 / 1440.0) };

        Assert.False(selection.Matches(TestHeaders.Science(1, 9)));
        Assert.True(selection.Matches(TestHeaders.Science(1, 10)));
        Assert.True(selection.Matches(TestHeaders.Science(1, 20)));
        Assert.False(selection.Matches(TestHeaders.Science(1, 21)));
    }

    [Fact]
    public void Matches_requires_every_given_criterion()
    {
        var selection = ScanSelection.Parse(["band=LFA", "source=OrionKL", "scan=1-10"]);

        Assert.True(selection.Matches(TestHeaders.Science(5, 0)));
        Assert.False(selection.Matches(TestHeaders.Science(5, 0, source: "G34.26")));
        Assert.False(selection.Matches(TestHeaders.Science(11, 0)));
    }
}

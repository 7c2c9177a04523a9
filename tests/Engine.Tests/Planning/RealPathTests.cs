using Scanflow.Engine.Planning;

namespace Scanflow.Engine.Tests.Planning;

public sealed class RealPathTests
{
    [Fact]
    public void Of_resolves_links_above_the_last_component_and_relative_targets_from_the_real_directory()
    {
        using var scratch = new TempDirectory();
        var real = scratch.Combine("data", "store");
        Directory.CreateDirectory(Path.Combine(real, "night"));
        Directory.CreateSymbolicLink(scratch.Combine("link"), real);
        Directory.CreateSymbolicLink(Path.Combine(real, "night", "up"), "..");
        Directory.CreateSymbolicLink(scratch.Combine("loop"), scratch.Combine("loop"));

        Assert.Equal(Path.Combine(real, "night"), RealPath.Of(scratch.Combine("link", "night")));
        Assert.Equal(real, RealPath.Of(scratch.Combine("link", "night", "up")));
        // ".." after a link climbs from where the link leads, not from where its name is (as realpath(3), unlike GetFullPath).
        Assert.Equal(scratch.Combine("data", "night"), RealPath.Of(scratch.Combine("link", "night", "up", "night", ".", "up", "..", "night")));
        Assert.Equal(Path.Combine(real, "gone"), RealPath.Of(scratch.Combine("link", "gone")));
        Assert.Throws<IOException>(() => RealPath.Of(scratch.Combine("loop", "x")));
    }
}
